/** How each varied hyperparameter maps onto a chart axis: linear, logarithmic or categories. */
import type { Run } from '../../tracking';
import { formatParam, shortParamNames, type ParamValue } from '../runs';

export interface ParamAxis {
  key: string; // dotted param key
  name: string; // short unique name for labels
  kind: 'linear' | 'log' | 'category';
  categories: string[]; // category axes only, in display order
  /** Position of a value on the axis (log10 for log axes, category index); null when missing. */
  position(value: ParamValue | undefined): number | null;
  /** Labelled positions between 0 and 1 for a normalised (parallel-coordinates) axis. */
  ticks: { norm: number; text: string }[];
}

/** One axis per varied param: numbers spread over 50x or more and all positive get a log axis. */
export function paramAxes(runs: Run[], keys: string[]): ParamAxis[] {
  const names = shortParamNames(keys);
  return keys.map((key) => {
    const values = runs.map((run) => run.params[key]).filter((v) => v !== null && v !== undefined);
    const numbers = values.filter((v): v is number => typeof v === 'number');
    const name = names.get(key)!;
    if (numbers.length === values.length && numbers.length > 0) return numericAxis(key, name, numbers);
    return categoryAxis(key, name, runs.map((run) => formatParam(run.params[key])));
  });
}

function numericAxis(key: string, name: string, numbers: number[]): ParamAxis {
  const min = Math.min(...numbers);
  const max = Math.max(...numbers);
  const log = min > 0 && max / min >= 50;
  const position = (v: ParamValue | undefined) =>
    typeof v === 'number' ? (log ? Math.log10(v) : v) : null;
  const lo = position(min)!;
  const span = position(max)! - lo;
  const norm = (v: number) => (span > 0 ? (position(v)! - lo) / span : 0.5);
  const tickValues = new Set([min, max]);
  if (log) {
    for (let p = Math.ceil(Math.log10(min)); p <= Math.floor(Math.log10(max)); p++) tickValues.add(10 ** p);
  }
  const ticks = [...tickValues].map((v) => ({ norm: norm(v), text: formatParam(v) }));
  return { key, name, kind: log ? 'log' : 'linear', categories: [], position, ticks: dropCrowdedTicks(ticks) };
}

function categoryAxis(key: string, name: string, texts: string[]): ParamAxis {
  const categories = [...new Set(texts)].sort();
  const norm = (i: number) => (categories.length > 1 ? i / (categories.length - 1) : 0.5);
  return {
    key,
    name,
    kind: 'category',
    categories,
    position: (v) => categories.indexOf(formatParam(v)),
    ticks: categories.map((text, i) => ({ norm: norm(i), text })),
  };
}

/** Keeps labels at least 6% of the axis apart so they do not overprint (min and max always stay). */
function dropCrowdedTicks(ticks: { norm: number; text: string }[]) {
  const sorted = [...ticks].sort((a, b) => a.norm - b.norm);
  const kept: typeof ticks = [];
  for (const t of sorted) {
    const isEnd = t === sorted[0] || t === sorted[sorted.length - 1];
    if (isEnd || kept.length === 0 || t.norm - kept[kept.length - 1].norm >= 0.06) kept.push(t);
  }
  const last = sorted[sorted.length - 1];
  if (kept.length > 2 && last.norm - kept[kept.length - 2].norm < 0.06) kept.splice(kept.length - 2, 1);
  return kept;
}
