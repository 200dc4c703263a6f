/** Pure helpers over Run objects that several charts and the HTML table share. */
import { bestRun, configKey, isSeedParam, rankable, rankRuns, type Run } from '../tracking';

export { configKey, isSeedParam, rankRuns };

export type ParamValue = Run['params'][string];

/** Validation accuracy of a run (final evaluation, else the best epoch), or null if it has none: the ranking's own field. */
export function valAccuracy(run: Run): number | null {
  return rankable(run).valAccuracy;
}

/** Test accuracy of a run, or null if it was never evaluated. */
export function testAccuracy(run: Run): number | null {
  return run.test?.accuracy ?? null;
}

/** The best run: the one ranking of src/tracking/ranking.ts (validation accuracy; ties documented there). */
export { bestRun };

/**
 * Hyperparameters whose values differ across the runs, in first-seen order. Seeds are left out:
 * runs that differ only in seed are repeats of one config. A key missing from some runs counts as
 * varied (e.g. `model.units` when CNN and RNN runs are mixed).
 */
export function variedParams(runs: Run[]): string[] {
  const values = new Map<string, Set<string>>();
  for (const run of runs) {
    for (const [key, value] of Object.entries(run.params)) {
      if (isSeedParam(key)) continue;
      if (!values.has(key)) values.set(key, new Set());
      values.get(key)!.add(JSON.stringify(value));
    }
  }
  return [...values.entries()]
    .filter(([key, seen]) => seen.size > 1 || runs.some((run) => !(key in run.params)))
    .map(([key]) => key);
}

const GENERIC_NAMES = new Set(['name', 'kind', 'type', 'enabled', 'factor', 'value']);

/**
 * Short, still unique names for dotted param keys: the fewest trailing segments that tell them
 * apart. `['train.optimizer.learningRate', 'model.blocks.0.filters', 'model.blocks.1.filters']`
 * -> `learningRate`, `0.filters`, `1.filters`; a generic last segment keeps its parent (`optimizer.name`).
 */
export function shortParamNames(keys: string[]): Map<string, string> {
  const names = new Map<string, string>();
  const suffix = (k: string, len: number) => k.split('.').slice(-len).join('.');
  for (const key of keys) {
    const parts = key.split('.');
    // Generic last segments (`train.optimizer.name`) read better with their parent: `optimizer.name`.
    let n = GENERIC_NAMES.has(parts[parts.length - 1]) ? 2 : 1;
    while (n < parts.length && keys.some((other) => other !== key && suffix(other, n) === suffix(key, n))) n++;
    names.set(key, suffix(key, n));
  }
  return names;
}

/** How a param value reads in a table cell or chart label. */
export function formatParam(value: ParamValue | undefined): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
  return String(value);
}

/** A readable label of a run's config from its varied params, e.g. `learningRate=0.001 units=128`. */
export function configLabel(run: Run, varied: string[], names = shortParamNames(varied)): string {
  if (varied.length === 0) return run.experiment;
  return varied.map((key) => `${names.get(key)}=${formatParam(run.params[key])}`).join(' ');
}

export interface ConfigGroup {
  key: string;
  label: string;
  runs: Run[];
}

/** Groups runs that differ only in seeds (tracking's configKey, as `digits runs --group-seeds`), in first-seen order, with labels. */
export function configGroups(runs: Run[], varied = variedParams(runs)): ConfigGroup[] {
  const names = shortParamNames(varied);
  const manyExperiments = new Set(runs.map((run) => run.experiment)).size > 1;
  const groups = new Map<string, ConfigGroup>();
  for (const run of runs) {
    const key = configKey(run);
    if (!groups.has(key)) {
      const label = configLabel(run, varied, names);
      const prefixed = manyExperiments && varied.length > 0 ? `${run.experiment}: ${label}` : label;
      groups.set(key, { key, label: prefixed, runs: [] });
    }
    groups.get(key)!.runs.push(run);
  }
  return [...groups.values()];
}

/** Picks at most `max` items evenly, always keeping the first and the last. */
export function downsample<T>(items: T[], max: number): T[] {
  if (items.length <= max) return items;
  if (max < 2) return items.slice(-1);
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(items[Math.round((i * (items.length - 1)) / (max - 1))]);
  return out;
}

/** Rounds to a few significant digits so embedded JSON stays small. */
export function round(value: number, digits = 5): number {
  return Number.isFinite(value) ? Number(value.toPrecision(digits)) : value;
}
