/**
 * A chart as a Jupyter MIME bundle: the Vega-Lite spec for front ends that draw it interactively
 * (JupyterLab, Notebook 7, VS Code) and a PNG of the same chart for everything else, above all
 * Jupyter's HTML export, which strips inline SVG (nbconvert 6.5 passes SVG through its HTML
 * cleaner and leaves an empty box) but embeds PNGs as data: URLs.
 *
 * Which version: the specs are built with vega-lite 6 but use nothing Vega-Lite 5 lacks, and
 * JupyterLab 4's built-in renderer (@jupyterlab/vega5-extension) registers the Vega-Lite v3, v4 and
 * v5 MIME types, not v6. So the bundle carries the spec under `application/vnd.vegalite.v5+json`
 * with a v5 `$schema`. No `image/svg+xml` and no `text/html`: nbconvert prefers both to a PNG, and
 * JupyterLab ranks its HTML renderer above the Vega one.
 */
import sharp from 'sharp';
import type { TopLevelSpec } from 'vega-lite/build/index';
import { vegaLiteSvg } from './svg';

export const VEGA_LITE_MIME = 'application/vnd.vegalite.v5+json';
export const VEGA_LITE_V5_SCHEMA = 'https://vega.github.io/schema/vega-lite/v5.json';

/** One output's representations, MIME type -> data (PNG as base64, Vega-Lite as an object), and their metadata. */
export interface MimeBundle {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface ChartBundleOptions {
  /** Pixels per CSS pixel of the PNG (default 2: sharp on high-density screens); shown at 1x size. */
  scale?: number;
}

/**
 * The spec (v5 MIME type and `$schema`), a PNG rendered from it in Node, and a text line with the title.
 * @example newOutput().show(await chartBundle(classBalanceSpec({ train: mnist.train })));
 */
export async function chartBundle(spec: TopLevelSpec, options: ChartBundleOptions = {}): Promise<MimeBundle> {
  const scale = options.scale ?? 2;
  const svg = await vegaLiteSvg(spec);
  const image = sharp(Buffer.from(svg), { density: 72 * scale });
  const png = await image.png().toBuffer({ resolveWithObject: true });
  return {
    data: {
      [VEGA_LITE_MIME]: { ...spec, $schema: VEGA_LITE_V5_SCHEMA },
      'image/png': png.data.toString('base64'),
      'text/plain': `[chart: ${chartTitle(spec) ?? 'untitled'}]`,
    },
    metadata: { 'image/png': { width: Math.round(png.info.width / scale), height: Math.round(png.info.height / scale) } },
  };
}

/** A bundle of plain text (progress lines). */
export function textBundle(text: string): MimeBundle {
  return { data: { 'text/plain': text }, metadata: {} };
}

/** A bundle of HTML (tables, galleries). */
export function htmlBundle(html: string): MimeBundle {
  return { data: { 'text/html': html, 'text/plain': '[html]' }, metadata: {} };
}

/** The chart's title as text: a string, lines, or an expression naming a param with a text value (the report's retitled charts). */
function chartTitle(spec: TopLevelSpec): string | null {
  const title = (spec as { title?: unknown }).title;
  const text = title && typeof title === 'object' && 'text' in title ? (title as { text: unknown }).text : title;
  if (typeof text === 'string') return text;
  if (Array.isArray(text)) return text.join(' ');
  if (text && typeof text === 'object' && 'expr' in text) {
    const params = (spec as { params?: { name?: unknown; value?: unknown }[] }).params ?? [];
    const value = params.find((p) => p.name === (text as { expr: unknown }).expr)?.value;
    return typeof value === 'string' ? value : null;
  }
  return null;
}
