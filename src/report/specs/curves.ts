/** Learning curves: train vs validation loss and accuracy per epoch, one line per run. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { rankRuns, type Run } from '../../tracking';
import type { EpochMetrics } from '../../train';
import { downsample, round } from '../runs';
import { runIndex, SHOWN_FILTER, SHOWN_PARAM } from './select';
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
  /**
   * Draw one metric alone (one panel, legend below: fits narrow pages); default both side by side.
   */
  metric?: 'loss' | 'accuracy';
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

/** The `max` best runs by the one ranking (src/tracking/ranking.ts), in their original order. */
export function bestByValidation(runs: Run[], max: number): Run[] {
  if (runs.length <= max) return runs;
  const keep = new Set(rankRuns(runs).slice(0, max));
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
 * Train (dashed) and validation (solid) loss and accuracy per epoch, one colour per run; a run of
 * one epoch is a dot. Hovering a line thickens it; clicking a line or a legend entry selects that
 * run and fades the others (shift-click adds more). With more than `maxRuns` runs only the best
 * ones are drawn (the title says so). `metric` draws one panel instead of two.
 * @example embed(learningCurvesSpec(runs, new Map(runs.map((r) => [r.id, store.history(r.id)]))))
 */
export function learningCurvesSpec(
  runs: Run[],
  histories: Map<string, EpochMetrics[]>,
  options: CurvesOptions = {},
): TopLevelSpec {
  const labels = runLabels(runs);
  const index = runIndex(runs);
  const all = runs.filter((run) => (histories.get(run.id) ?? []).length > 0);
  const withCurves = bestByValidation(all, options.maxRuns ?? DEFAULT_MAX_CURVES);
  const maxEpochs = options.maxEpochs ?? 50;
  const longest = Math.max(0, ...withCurves.map((run) => histories.get(run.id)!.length));
  const notes = [
    withCurves.length < all.length ? `the ${withCurves.length} best of ${all.length} runs by validation accuracy` : '',
    longest > maxEpochs ? `${maxEpochs} of up to ${longest} epochs per run` : '',
  ].filter(Boolean);
  const metric = options.metric;
  const name = metric ? `${metric === 'loss' ? 'Loss' : 'Accuracy'} per epoch` : 'Learning curves';
  const series = metric ? (metric === 'loss' ? ['loss', 'valLoss'] : ['accuracy', 'valAccuracy']) : ['loss', 'valLoss', 'accuracy', 'valAccuracy'];
  const dots = withCurves.some((run) => histories.get(run.id)!.length === 1);
  const lines = runLines(withCurves, labels, { x: 'epoch', width: options.width ?? 360, legendBelow: Boolean(metric), dots });
  return {
    ...chartBase(
      notes.length ? `${name} · ${notes.join(' · ')}` : name,
      'dashed = train, solid = validation · one-epoch runs are dots · click a legend entry to pick',
    ),
    params: [SHOWN_PARAM],
    data: { values: curveRows(withCurves, histories, maxEpochs) },
    transform: [
      runLookup(withCurves, labels, index, (run) => histories.get(run.id)!.length),
      SHOWN_FILTER,
      { fold: series, as: ['series', 'value'] },
      { calculate: "indexof(datum.series, 'ccuracy') >= 0 ? 'accuracy' : 'loss'", as: 'metric' },
      { calculate: "indexof(datum.series, 'val') === 0 ? 'validation' : 'train'", as: 'split' },
    ],
    ...byMetric(lines, metric),
  } as TopLevelSpec;
}

/**
 * The lookup both curve charts start with: each row's run index `k` to its label (`run`), its
 * index in the whole table (`r`, for the shown filter) and its number of rows (`n`).
 */
export function runLookup(runs: Run[], labels: Map<string, string>, index: Map<string, number>, rowCount: (run: Run) => number) {
  return {
    lookup: 'k',
    from: { data: { values: runs.map((run, k) => ({ k, run: labels.get(run.id), r: index.get(run.id), n: rowCount(run) })) }, key: 'k', fields: ['run', 'r', 'n'] },
  };
}

/** The chart body of a curve chart: the lines alone for one metric, else one facet column per metric. */
export function byMetric<T>(lines: T, metric: string | undefined) {
  return metric
    ? lines
    : { facet: { column: { field: 'metric', type: 'nominal', title: null, sort: ['loss', 'accuracy'] } }, spec: lines, resolve: { scale: { y: 'independent' } } };
}

/**
 * The layered line chart both curve charts share: one colour per run (its label in `run`, its
 * index in `k`), `split` as dash, `value` on y; with `dots`, a dot where a run has a single row
 * (`n` = 1), which a line cannot show. The dots layer draws every row and hides the others (size
 * 0): a layer filtered to no rows would make Vega warn of an empty extent.
 */
export function runLines(runs: Run[], labels: Map<string, string>, options: { x: 'epoch'; width: number; legendBelow: boolean; dots?: boolean; splits?: boolean; valueField?: string }) {
  const value = options.valueField ?? 'value';
  const color = {
    field: 'run',
    type: 'nominal' as const,
    title: 'run',
    // An explicit domain keeps run order without the per-row indexof() a sort array compiles to.
    scale: { domain: runs.map((r) => labels.get(r.id)!) },
    // Listing only the best runs keeps a long legend readable (and Vega quiet about truncation).
    legend: {
      symbolType: 'stroke',
      title: runs.length > LEGEND_RUNS ? `run (${LEGEND_RUNS} best)` : 'run',
      values: bestByValidation(runs, LEGEND_RUNS).map((r) => labels.get(r.id)!),
      ...(options.legendBelow ? { orient: 'bottom' as const, columns: 2, labelLimit: 180 } : {}),
    },
  };
  const x = { field: options.x, type: 'quantitative' as const, title: 'epoch', axis: { tickMinStep: 1, format: '~g' } };
  const y = { field: value, type: 'quantitative' as const, title: null, scale: { zero: false } };
  const tooltip = [
    { field: 'run', type: 'nominal' as const },
    { field: 'split', type: 'nominal' as const },
    { field: 'metric', type: 'nominal' as const },
    { field: options.x, type: 'quantitative' as const, format: '.3~f' },
    { field: value, type: 'quantitative' as const, format: '.4f' },
  ];
  return {
    width: options.width,
    height: 260,
    encoding: { x, y, color },
    layer: [
      {
        params: [
          { name: 'hover', select: { type: 'point' as const, on: 'pointerover', clear: 'pointerout', fields: ['k'] } },
          { name: 'pick', select: { type: 'point' as const, fields: ['run'] }, bind: 'legend' as const },
        ],
        mark: { type: 'line' as const, strokeCap: 'round' as const },
        encoding: {
          detail: { field: 'k' },
          strokeDash: {
            field: 'split',
            type: 'nominal' as const,
            title: 'split',
            scale: { domain: ['train', 'validation'], range: [[4, 3], [1, 0]] },
            ...(options.splits === false ? { legend: null } : {}),
          },
          opacity: { condition: { param: 'pick', value: 0.95 }, value: 0.12 },
          strokeWidth: { condition: { param: 'hover', empty: false, value: 3.5 }, value: 1.6 },
          tooltip,
        },
      },
      ...(options.dots
        ? [
            {
              mark: { type: 'point' as const, filled: true },
              encoding: {
                size: { condition: { test: 'datum.n === 1', value: 60 }, value: 0 },
                shape: { field: 'split', type: 'nominal' as const, title: 'split', scale: { domain: ['train', 'validation'], range: ['triangle-up', 'circle'] }, legend: null },
                tooltip,
              },
            },
          ]
        : []),
    ],
  };
}
