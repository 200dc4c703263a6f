/**
 * Per-step training curves: loss and accuracy every k steps (train/steps.ts), against the epoch
 * as a fraction, so runs of one or two epochs draw a curve too. A moving average smooths them.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { Run } from '../../tracking';
import type { StepMetrics } from '../../tracking';
import { downsample, round } from '../runs';
import { bestByValidation, byMetric, runLabels, runLines, runLookup } from './curves';
import { runIndex, SHOWN_FILTER, SHOWN_PARAM } from './select';
import { chartBase } from './theme';

/** Runs whose step curves a chart draws by default (the best by validation accuracy): fewer than the epoch curves, each has more points. */
export const DEFAULT_STEP_CURVES = 20;

/** Moving-average windows the smoothing menu offers, in points (1 = raw). */
export const SMOOTHING_WINDOWS = [1, 5, 15, 45];

export interface StepCurvesOptions {
  /** Which training metric; default both side by side. */
  metric?: 'loss' | 'accuracy';
  /** Curves of at most this many runs, the best by validation accuracy; default 20. */
  maxRuns?: number;
  /** At most this many points per run (evenly picked); default 120. */
  maxPoints?: number;
  /** Initial moving-average window in points, one of SMOOTHING_WINDOWS; default 5. */
  smoothing?: number;
  /** Panel width in pixels; default 360. */
  width?: number;
}

/** Rows of the step chart: run index `k`, fractional epoch, step, loss and accuracy (5 significant digits). */
export function stepRows(runs: Run[], steps: Map<string, StepMetrics[]>, maxPoints = 120) {
  return runs.flatMap((run, k) =>
    downsample(steps.get(run.id) ?? [], maxPoints).map((s) => ({ k, epoch: s.epoch, step: s.step, loss: round(s.loss), accuracy: round(s.accuracy) })),
  );
}

/**
 * Training loss and/or accuracy per logged step, one colour per run, smoothed by a moving average
 * whose window a menu under the chart picks (off, 5, 15 or 45 points). Null when no run has steps.
 * @example stepCurvesSpec([run], new Map([[run.id, store.steps(run.id)]]), { metric: 'loss' })
 */
export function stepCurvesSpec(runs: Run[], steps: Map<string, StepMetrics[]>, options: StepCurvesOptions = {}): TopLevelSpec | null {
  const all = runs.filter((run) => (steps.get(run.id) ?? []).length > 0);
  if (all.length === 0) return null;
  const drawn = bestByValidation(all, options.maxRuns ?? DEFAULT_STEP_CURVES);
  const labels = runLabels(runs);
  const index = runIndex(runs);
  const metric = options.metric;
  const name = metric ? `Training ${metric} per step` : 'Training curves per step';
  const more = drawn.length < all.length ? ` · the ${drawn.length} best of ${all.length} runs` : '';
  const smoothing = options.smoothing ?? 5;
  const windows = SMOOTHING_WINDOWS.slice(1).map((w) => ({
    window: [{ op: 'mean' as const, field: 'raw', as: `m${w}` }],
    frame: [-(w - 1), 0],
    groupby: ['k', 'series'],
    sort: [{ field: 'step' }],
  }));
  const pick = SMOOTHING_WINDOWS.slice(1).reverse().reduce((expr, w) => `smoothing >= ${w} ? datum.m${w} : ${expr}`, 'datum.raw');
  const lines = runLines(drawn, labels, { x: 'epoch', width: options.width ?? 360, legendBelow: Boolean(metric), dots: false, splits: false });
  return {
    ...chartBase(`${name}${more}`, 'every k steps, at most 250 points a run · smoothing: moving average'),
    params: [
      SHOWN_PARAM,
      {
        name: 'smoothing',
        value: smoothing,
        bind: { input: 'select', options: SMOOTHING_WINDOWS, labels: SMOOTHING_WINDOWS.map((w) => (w === 1 ? 'off' : `${w} points`)), name: 'smoothing ' },
      },
    ],
    data: { values: stepRows(drawn, steps, options.maxPoints) },
    transform: [
      runLookup(drawn, labels, index, (run) => steps.get(run.id)!.length),
      SHOWN_FILTER,
      { fold: metric ? [metric] : ['loss', 'accuracy'], as: ['series', 'raw'] },
      ...windows,
      { calculate: pick, as: 'value' },
      { calculate: 'datum.series', as: 'metric' },
      { calculate: "'train'", as: 'split' },
    ],
    ...byMetric(lines, metric),
  } as TopLevelSpec;
}
