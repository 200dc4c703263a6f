/**
 * vega and vega-lite in Node. Both are ES modules with top-level await, so require() cannot load
 * them, and TypeScript's CommonJS output would turn a plain import() into require(): this keeps
 * a real import(), loaded once per process.
 */
import type { Spec } from 'vega';
import type { TopLevelSpec } from 'vega-lite/build/index';

type VegaLite = typeof import('vega-lite/build/index');
type Vega = typeof import('vega');

const importEsm = new Function('specifier', 'return import(specifier)') as <T>(specifier: string) => Promise<T>;

let libraries: Promise<{ vl: VegaLite; vega: Vega }> | null = null;

/** The vega-lite and vega modules (loaded on first use). */
export function vegaLibraries(): Promise<{ vl: VegaLite; vega: Vega }> {
  libraries ??= Promise.all([importEsm<VegaLite>('vega-lite'), importEsm<Vega>('vega')]).then(([vl, vega]) => ({ vl, vega }));
  return libraries;
}

/**
 * Compiles Vega-Lite specs to Vega, so a page only parses and draws them.
 * @example const [vegaSpec] = await compileToVega([learningCurvesSpec(runs, histories)]);
 */
export async function compileToVega(specs: TopLevelSpec[]): Promise<Spec[]> {
  const { vl } = await vegaLibraries();
  return specs.map((spec) => vl.compile(spec).spec);
}
