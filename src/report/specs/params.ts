/** Hyperparameter charts: each varied param against validation accuracy, and parallel coordinates. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { Run } from '../../tracking';
import { round, valAccuracy, variedParams } from '../runs';
import { paramAxes, type ParamAxis } from './axes';
import { runLabels } from './curves';
import { runIndex, SHOWN_FILTER, SHOWN_PARAM } from './select';
import { chartBase } from './theme';

const ACCURACY_AXIS = 'val accuracy';

/** Where a missing value sits on a normalised axis: below its minimum (0), labelled "missing". */
const MISSING = -0.12;

/** Charts show at most this many varied params (mixed CNN and RNN grids vary dozens). */
export const MAX_PARAMS = 9;

/**
 * What both param charts start from: the runs with a validation accuracy, the axes of their first
 * MAX_PARAMS varied params with a note when some were left out, their labels, and every run's index.
 * Null when nothing varies.
 */
function scoredAxes(runs: Run[]): { scored: Run[]; axes: ParamAxis[]; note: string; labels: Map<string, string>; index: Map<string, number> } | null {
  const scored = runs.filter((run) => valAccuracy(run) !== null);
  const varied = variedParams(scored);
  const axes = paramAxes(scored, varied.slice(0, MAX_PARAMS));
  if (axes.length === 0) return null;
  const note = varied.length > MAX_PARAMS ? ` · the first ${MAX_PARAMS} of ${varied.length} varied params` : '';
  return { scored, axes, note, labels: runLabels(scored), index: runIndex(runs) };
}

/**
 * A small scatter per varied hyperparameter (seeds excluded): its value against validation accuracy,
 * with the mean per value as a line (numbers) or a tick (categories). Null when nothing varies.
 */
export function paramEffectsSpec(runs: Run[]): TopLevelSpec | null {
  const shown = scoredAxes(runs);
  if (!shown) return null;
  const { scored, axes, note, labels, index } = shown;
  return {
    ...chartBase('Hyperparameters vs validation accuracy', `one dot per run; the line or tick is the mean per value${note}`),
    params: [SHOWN_PARAM],
    columns: 3,
    concat: axes.map((axis) => paramPanel(axis, scored, labels, index)),
    resolve: { scale: { y: 'shared' } },
  };
}

function paramPanel(axis: ParamAxis, runs: Run[], labels: Map<string, string>, index: Map<string, number>) {
  const values = runs
    .filter((run) => axis.kind === 'category' || typeof run.params[axis.key] === 'number')
    .map((run) => ({
      r: index.get(run.id),
      run: labels.get(run.id),
      value: axis.kind === 'category' ? axis.categories[axis.position(run.params[axis.key])!] : run.params[axis.key],
      accuracy: round(valAccuracy(run)!),
    }));
  const x =
    axis.kind === 'category'
      ? { field: 'value', type: 'nominal' as const, title: axis.name, sort: axis.categories, axis: { labelAngle: 0, labelLimit: 90 } }
      : {
          field: 'value',
          type: 'quantitative' as const,
          title: axis.name,
          scale: axis.kind === 'log' ? { type: 'log' as const } : { zero: false },
          // '~g' prints 1000 and 0.0003, not "1,000.000000" or "3e-4" (Vega's log-axis default).
          axis: { format: '~g', labelOverlap: 'greedy' as const },
        };
  const y = { field: 'accuracy', type: 'quantitative' as const, title: 'val accuracy', scale: { zero: false, padding: 8 }, axis: { format: '.3f' } };
  return {
    width: 190,
    height: 150,
    data: { values },
    transform: [SHOWN_FILTER],
    layer: [
      {
        mark: { type: 'point' as const, filled: true, size: 30, opacity: 0.6, color: '#4c78a8' },
        encoding: {
          x,
          y,
          tooltip: [
            { field: 'run', type: 'nominal' as const },
            { field: 'value', type: x.type, title: axis.key },
            { field: 'accuracy', type: 'quantitative' as const, format: '.4f' },
          ],
        },
      },
      {
        mark: axis.kind === 'category'
          ? { type: 'tick' as const, color: '#d62728', thickness: 2 }
          : { type: 'line' as const, color: '#d62728', strokeWidth: 1.5 },
        encoding: { x, y: { ...y, aggregate: 'mean' as const } },
      },
    ],
  };
}

/**
 * Parallel coordinates of the grid: one line per run across every varied hyperparameter and
 * validation accuracy, coloured by accuracy. Follows Vega-Lite's fold + normalised-axes pattern:
 * positions are folded into (axis, value) rows, each axis scaled to [0, 1] by its own min and max.
 * Null when fewer than one param varies.
 */
export function parallelCoordinatesSpec(runs: Run[]): TopLevelSpec | null {
  const shown = scoredAxes(runs);
  if (!shown) return null;
  const { scored, axes, note, labels, index } = shown;
  const fields = axes.map((_, i) => `a${i}`);
  const names = [...axes.map((a) => a.name), ACCURACY_AXIS];
  const rows = scored.map((run) => {
    const row: Record<string, unknown> = { r: index.get(run.id), run: labels.get(run.id), accuracy: round(valAccuracy(run)!) };
    axes.forEach((axis, i) => (row[fields[i]] = axis.position(run.params[axis.key])));
    return row;
  });
  const accuracies = scored.map((run) => valAccuracy(run)!);
  const accTicks = accuracyTicks(Math.min(...accuracies), Math.max(...accuracies));
  // A run without a value on an axis (e.g. model.units of a CNN) sits at MISSING, below the axis, not at a real value's height.
  const missing = axes.filter((_, i) => rows.some((row) => row[fields[i]] === null));
  const ticks = [
    ...axes.flatMap((axis) => axis.ticks.map((t) => ({ axis: axis.name, ...t }))),
    ...missing.map((axis) => ({ axis: axis.name, norm: MISSING, text: 'missing' })),
    ...accTicks.map((t) => ({ axis: ACCURACY_AXIS, ...t })),
  ];
  const x = { field: 'axis', type: 'nominal' as const, title: null, scale: { domain: names, paddingOuter: 0.05 } };
  return {
    ...chartBase('Parallel coordinates of the grid', `each line is a run; every axis runs from its minimum (bottom) to its maximum (top)${note}`),
    params: [SHOWN_PARAM],
    // At most 720 px wide, so the chart fits an 800 px window; axes sit closer when many vary.
    width: Math.min(720, Math.max(360, 130 * names.length)),
    height: 280,
    layer: [
      {
        data: { values: names.map((axis) => ({ axis })) },
        mark: { type: 'rule', color: '#bbb', strokeWidth: 1 },
        encoding: { x: { ...x, axis: { orient: 'top', offset: 10, labelAngle: 0, labelFontWeight: 600, labelLimit: 130, domain: false, ticks: false } } },
      },
      {
        data: { values: rows },
        transform: [
          { fold: [...fields, 'accuracy'], as: ['key', 'value'] },
          { lookup: 'key', from: { data: { values: [...fields, 'accuracy'].map((key, i) => ({ key, axis: names[i] })) }, key: 'key', fields: ['axis'] } },
          { joinaggregate: [{ op: 'min', field: 'value', as: 'min' }, { op: 'max', field: 'value', as: 'max' }], groupby: ['key'] },
          {
            calculate: `!isValid(datum.value) ? ${MISSING} : datum.max > datum.min ? (datum.value - datum.min) / (datum.max - datum.min) : 0.5`,
            as: 'norm',
          },
          SHOWN_FILTER,
        ],
        params: [{ name: 'hoverRun', select: { type: 'point', on: 'pointerover', clear: 'pointerout', fields: ['r'] } }],
        mark: { type: 'line', strokeWidth: 1.6, opacity: 0.75 },
        encoding: {
          x,
          y: { field: 'norm', type: 'quantitative', axis: null, scale: { domain: [missing.length ? MISSING : 0, 1] } },
          detail: { field: 'r' },
          color: { field: 'accuracy', type: 'quantitative', title: 'val accuracy', scale: { scheme: 'viridis' }, legend: { format: '.3f' } },
          strokeWidth: { condition: { param: 'hoverRun', empty: false, value: 4 }, value: 1.6 },
          tooltip: [{ field: 'run', type: 'nominal' }, { field: 'accuracy', type: 'quantitative', format: '.4f' }],
        },
      },
      {
        data: { values: ticks },
        mark: { type: 'text', align: 'left', dx: 4, fontSize: 10, color: '#333' },
        encoding: { x, y: { field: 'norm', type: 'quantitative' }, text: { field: 'text' } },
      },
    ],
  };
}

function accuracyTicks(min: number, max: number) {
  if (max <= min) return [{ norm: 0.5, text: max.toFixed(4) }];
  return [
    { norm: 0, text: min.toFixed(4) },
    { norm: 1, text: max.toFixed(4) },
  ];
}
