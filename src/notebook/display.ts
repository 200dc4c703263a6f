/**
 * Showing MIME bundles in a notebook cell. tslab's own display API sends one MIME type per output
 * (tslab.display.svg, .png, ...), so a chart could not carry both its spec and a PNG; this sends the
 * whole bundle through the function tslab uses itself for the running cell (tslab 1.0's
 * `lastWriteDisplayData`, looked up when an output is first shown, never at import).
 */
import { chartBundle, htmlBundle, textBundle, type ChartBundleOptions, type MimeBundle } from './bundle';
import type { TopLevelSpec } from 'vega-lite/build/index';
import { randomBytes } from 'node:crypto';

/** Sends one Jupyter display message: display_data, or update_display_data for an existing display id. */
export type DisplaySink = (message: { data: Record<string, unknown>; metadata: Record<string, unknown>; transient: { display_id: string } }, update: boolean) => void;

/** One output area of the cell: each `show` replaces what the previous one showed. */
export interface Output {
  show(bundle: MimeBundle): void;
  text(text: string): void;
  html(html: string): void;
  chart(spec: TopLevelSpec, options?: ChartBundleOptions): Promise<void>;
}

/** The sink of the tslab kernel this code runs in (throws outside a tslab cell). */
export function tslabSink(): DisplaySink {
  return (message, update) => {
    // Resolved from the kernel's own tslab install: the same module instance tslab's cells write through.
    const jupyter = require('tslab/dist/jupyter') as { lastWriteDisplayData: DisplaySink | null };
    if (!jupyter.lastWriteDisplayData) throw new Error('no notebook cell is running: outputs can only be shown from a tslab kernel');
    jupyter.lastWriteDisplayData(message, update);
  };
}

/**
 * A new output area in the running cell (like tslab.newDisplay(), for whole bundles).
 * @example const out = newOutput(); out.text('training…'); await out.chart(spec);
 */
export function newOutput(sink: DisplaySink = tslabSink()): Output {
  const id = randomBytes(8).toString('hex');
  let shown = false;
  const show = (bundle: MimeBundle) => {
    sink({ data: bundle.data, metadata: bundle.metadata, transient: { display_id: id } }, shown);
    shown = true;
  };
  return {
    show,
    text: (text) => show(textBundle(text)),
    html: (html) => show(htmlBundle(html)),
    chart: async (spec, options) => show(await chartBundle(spec, options)),
  };
}

/**
 * Shows a Vega-Lite chart in the running cell: interactive in JupyterLab, a PNG in the HTML export.
 * @example await showChart(classBalanceSpec({ train: mnist.train, test: mnist.test }));
 */
export async function showChart(spec: TopLevelSpec, options: ChartBundleOptions & { sink?: DisplaySink } = {}): Promise<void> {
  await newOutput(options.sink).chart(spec, options);
}
