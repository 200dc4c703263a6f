/** Learning curves: train vs validation loss and accuracy per epoch, one line per run. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { Run } from '../../tracking/types';
import type { EpochMetrics } from '../../train/types';
import { downsample, round } from '../runs';
import { chartBase } from './theme';

export interface CurvesOptions {
  /** At most this many epochs per run (evenly picked, first and last kept); default 50. */
  maxEpochs?: number;
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
  return new Map(runs.map((run) => [run.id, counts.get(run.name)! > 1 ? `${run.name} (${run.id.slice(0, 8)})` : run.name]));
}

/**
 * Rows of the learning-curve chart: one per run and (down-sampled) epoch, metrics rounded to 5
 * significant digits. Exported for tests and for notebooks that want the numbers.
 */
export function curveRows(runs: Run[], histories: Map<string, EpochMetrics[]>, maxEpochs = 50) {
  const rows: { id: string; epoch: number; loss: number; valLoss: number; accuracy: number; valAccuracy: number }[] = [];
  for (const run of runs) {
    for (const e of downsample(histories.get(run.id) ?? [], maxEpochs)) {
      rows.push({
        id: run.id,
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
 * (shift-click adds more).
 * @example embed(learningCurvesSpec(runs, new Map(runs.map((r) => [r.id, store.history(r.id)]))))
 */
export function learningCurvesSpec(
  runs: Run[],
  histories: Map<string, EpochMetrics[]>,
  options: CurvesOptions = {},
): TopLevelSpec {
  const labels = runLabels(runs);
  const withCurves = runs.filter((run) => (histories.get(run.id) ?? []).length > 0);
  return {
    ...chartBase('Learning curves', 'dashed = train, solid = validation · hover to highlight, click a line or legend entry to select'),
    data: { values: curveRows(withCurves, histories, options.maxEpochs) },
    transform: [
      { lookup: 'id', from: { data: { values: withCurves.map((r) => ({ id: r.id, run: labels.get(r.id) })) }, key: 'id', fields: ['run'] } },
      { fold: ['loss', 'valLoss', 'accuracy', 'valAccuracy'], as: ['series', 'value'] },
      { calculate: "indexof(datum.series, 'ccuracy') >= 0 ? 'accuracy' : 'loss'", as: 'metric' },
      { calculate: "indexof(datum.series, 'val') === 0 ? 'validation' : 'train'", as: 'split' },
    ],
    facet: { column: { field: 'metric', type: 'nominal', title: null, sort: ['loss', 'accuracy'] } },
    spec: {
      width: options.width ?? 360,
      height: 260,
      params: [
        { name: 'hover', select: { type: 'point', on: 'pointerover', clear: 'pointerout', fields: ['id'] } },
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
          sort: withCurves.map((r) => labels.get(r.id)!),
          legend: { symbolLimit: 30, symbolType: 'stroke' },
        },
        detail: { field: 'id' },
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
