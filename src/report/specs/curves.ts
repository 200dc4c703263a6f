/** Learning curves: train vs validation loss and accuracy per epoch, one line per run. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { Run } from '../../tracking';
import type { EpochMetrics } from '../../train';
import { downsample, round, valAccuracy } from '../runs';
import { chartBase } from './theme';

/** Runs whose learning curves a chart draws by default (the best by validation accuracy). */
export const DEFAULT_MAX_CURVES = 50;

export interface CurvesOptions {
  /** At most this many epochs per run (evenly picked, first and last kept); default 50. */
  maxEpochs?: number;
  /**
   * Draw the curves of at most this many runs, the best by validation accuracy (a thousand
   * overlapping lines say little and take seconds to draw); default DEFAULT_MAX_CURVES (50).
   */
  maxRuns?: number;
  /** Width of each of the two panels in pixels; default 360. */
  width?: number;
}

/**
 * Labels that tell runs apart in a legend: the run name, plus a short id where names repeat.
 * @example runLabels(runs).get(run.id) // 'cnn lr=0.001 seed=1'
 */
export function runLabels(runs: Run[]): Map<string, string> {
  const counts = new Map<string, number>();
  for (const run of runs) counts.set(run.name, (counts.get(run.name) ?? 0) + 1);
  return new Map(runs.map((run) => [run.id, counts.get(run.name)! > 1 ? `${run.name} (${run.id})` : run.name]));
}

/** Runs named in the colour legend at most. */
const LEGEND_RUNS = 25;

/** The `max` runs with the highest validation accuracy, in their original order. */
function bestByValidation(runs: Run[], max: number): Run[] {
  if (runs.length <= max) return runs;
  const keep = new Set([...runs].sort((a, b) => (valAccuracy(b) ?? -1) - (valAccuracy(a) ?? -1)).slice(0, max));
  return runs.filter((run) => keep.has(run));
}

/**
 * Rows of the learning-curve chart: one per run and (down-sampled) epoch, metrics rounded to 5
 * significant digits; `k` is the run's index in `runs` (short, so 1,000-run pages stay small).
 */
export function curveRows(runs: Run[], histories: Map<string, EpochMetrics[]>, maxEpochs = 50) {
  const rows: { k: number; epoch: number; loss: number; valLoss: number; accuracy: number; valAccuracy: number }[] = [];
  for (const [k, run] of runs.entries()) {
    for (const e of downsample(histories.get(run.id) ?? [], maxEpochs)) {
      rows.push({
        k,
        epoch: e.epoch,
        loss: round(e.loss),
        valLoss: round(e.valLoss),
        accuracy: round(e.accuracy),
        valAccuracy: round(e.valAccuracy),
      });
    }
  }
  return rows;
}

/**
 * Train (dashed) and validation (solid) loss and accuracy per epoch, one colour per run. Hovering a
 * line thickens it; clicking a line or a legend entry selects that run and fades the others
 * (shift-click adds more). With more than `maxRuns` runs only the best ones are drawn (the title
 * says so).
 * @example embed(learningCurvesSpec(runs, new Map(runs.map((r) => [r.id, store.history(r.id)]))))
 */
export function learningCurvesSpec(
  runs: Run[],
  histories: Map<string, EpochMetrics[]>,
  options: CurvesOptions = {},
): TopLevelSpec {
  const labels = runLabels(runs);
  const all = runs.filter((run) => (histories.get(run.id) ?? []).length > 0);
  const withCurves = bestByValidation(all, options.maxRuns ?? DEFAULT_MAX_CURVES);
  const maxEpochs = options.maxEpochs ?? 50;
  const longest = Math.max(0, ...withCurves.map((run) => histories.get(run.id)!.length));
  const notes = [
    withCurves.length < all.length ? `the ${withCurves.length} best of ${all.length} runs by validation accuracy` : '',
    longest > maxEpochs ? `${maxEpochs} of up to ${longest} epochs per run` : '',
  ].filter(Boolean);
  return {
    ...chartBase(
      notes.length ? `Learning curves · ${notes.join(' · ')}` : 'Learning curves',
      'dashed = train, solid = validation · hover to highlight, click a line or legend entry to select (shift-click for more)',
    ),
    data: { values: curveRows(withCurves, histories, maxEpochs) },
    transform: [
      { lookup: 'k', from: { data: { values: withCurves.map((r, k) => ({ k, run: labels.get(r.id) })) }, key: 'k', fields: ['run'] } },
      { fold: ['loss', 'valLoss', 'accuracy', 'valAccuracy'], as: ['series', 'value'] },
      { calculate: "indexof(datum.series, 'ccuracy') >= 0 ? 'accuracy' : 'loss'", as: 'metric' },
      { calculate: "indexof(datum.series, 'val') === 0 ? 'validation' : 'train'", as: 'split' },
    ],
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: ['loss', 'accuracy'] } },
    spec: {
      width: options.width ?? 360,
      height: 260,
      params: [
        { name: 'hover', select: { type: 'point', on: 'pointerover', clear: 'pointerout', fields: ['k'] } },
        { name: 'pick', select: { type: 'point', fields: ['run'] }, bind: 'legend' },
      ],
      mark: { type: 'line', strokeCap: 'round' },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: 'epoch', axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false } },
        color: {
          field: 'run',
          type: 'nominal',
          title: 'run',
          // An explicit domain keeps run order without the per-row indexof() a sort array compiles to.
          scale: { domain: withCurves.map((r) => labels.get(r.id)!) },
          // Listing only the best runs keeps a long legend readable (and Vega quiet about truncation).
          legend: {
            symbolType: 'stroke',
            title: withCurves.length > LEGEND_RUNS ? `run (${LEGEND_RUNS} best)` : 'run',
            values: bestByValidation(withCurves, LEGEND_RUNS).map((r) => labels.get(r.id)!),
          },
        },
        detail: { field: 'k' },
        strokeDash: {
          field: 'split',
          type: 'nominal',
          title: 'split',
          scale: { domain: ['train', 'validation'], range: [[4, 3], [1, 0]] },
        },
        opacity: { condition: { param: 'pick', value: 0.95 }, value: 0.12 },
        strokeWidth: { condition: { param: 'hover', empty: false, value: 3.5 }, value: 1.6 },
        tooltip: [
          { field: 'run', type: 'nominal' },
          { field: 'split', type: 'nominal' },
          { field: 'metric', type: 'nominal' },
          { field: 'epoch', type: 'quantitative' },
          { field: 'value', type: 'quantitative', format: '.4f' },
        ],
      },
    },
    resolve: { scale: { y: 'independent' } },
  };
}
