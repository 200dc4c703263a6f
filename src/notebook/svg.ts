/**
 * Vega-Lite to SVG in Node, without a browser: vega-lite compiles the spec, a headless vega View
 * renders it. Notebooks show the SVG inline, so outputs stay small and need no JavaScript.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';

type VegaLite = typeof import('vega-lite/build/index');
type Vega = typeof import('vega');

// vega and vega-lite are ES modules with top-level await: require() cannot load them, and
// TypeScript's CommonJS output would turn a plain import() into require(). This keeps import().
const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

let libraries: Promise<{ vl: VegaLite; vega: Vega }> | null = null;

function loadLibraries(): Promise<{ vl: VegaLite; vega: Vega }> {
  libraries ??= Promise.all([importEsm<VegaLite>('vega-lite'), importEsm<Vega>('vega')]).then(([vl, vega]) => ({ vl, vega }));
  return libraries;
}

/**
 * Renders a Vega-Lite spec to an SVG document (static: hover and click selections keep their
 * initial state).
 * @example tslab.display.svg(await vegaLiteSvg(classBalanceSpec({ train: mnist.train })));
 */
export async function vegaLiteSvg(spec: TopLevelSpec): Promise<string> {
  const { vl, vega } = await loadLibraries();
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
