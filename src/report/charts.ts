/** Which charts a report shows, in page order, built from plain data. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { Run } from '../tracking';
import { bestRun, valAccuracy } from './runs';
import { confusionDiffSpec, confusionMatrixSpec, perClassSpec } from './specs/best';
import { configMetricSpec } from './specs/configs';
import { learningCurvesSpec, type CurvesOptions } from './specs/curves';
import { paramEffectsSpec, parallelCoordinatesSpec } from './specs/params';
import { DEFAULT_STEP_CURVES, stepCurvesSpec } from './specs/steps';
import { reliabilitySpec, runTemperature } from './specs/reliability';
import { accuracyVsTimeSpec } from './specs/time';
import type { ReportData } from './types';

export interface ReportChart {
  id: string; // stable, used as the HTML element id and the export file name
  title: string;
  spec: TopLevelSpec;
}

/**
 * The two runs the confusion charts start with: A is the best by validation accuracy, B the
 * runner-up (null with fewer than two evaluated runs). The page replaces them with ticked runs.
 */
export function comparedRuns(runs: Run[]): { a: Run | null; b: Run | null } {
  const a = bestRun(runs);
  const others = runs.filter((run) => run !== a && run.test && valAccuracy(run) !== null);
  const b = a?.test ? (bestRun(others) ?? null) : null;
  return { a: a?.test ? a : null, b };
}

/**
 * Every chart that has data to show: loss and accuracy per epoch, training loss and accuracy per
 * step, accuracy per config, hyperparameter effects, parallel coordinates, accuracy vs time, and
 * on the test set the confusion matrix of run A, the difference B − A, and A's per-class scores
 * (A and B from comparedRuns; "best" is always chosen on validation).
 */
export function reportCharts(data: ReportData, options: CurvesOptions = {}): ReportChart[] {
  const { runs, histories } = data;
  const steps = data.steps ?? new Map();
  const hasCurves = [...histories.values()].some((h) => h.length > 0);
  const { a, b } = comparedRuns(runs);
  const aPredictions = a ? (data.predictions?.get(a.id) ?? data.bestPredictions) : undefined; // a is the best run (comparedRuns)
  const curves = (metric: 'loss' | 'accuracy') => learningCurvesSpec(runs, histories, { ...options, metric });
  const stepOptions = { maxRuns: options.maxRuns === undefined ? undefined : Math.min(options.maxRuns, DEFAULT_STEP_CURVES) };
  const charts: (ReportChart | null)[] = [
    hasCurves ? { id: 'loss-epochs', title: 'Loss per epoch', spec: curves('loss') } : null,
    hasCurves ? { id: 'accuracy-epochs', title: 'Accuracy per epoch', spec: curves('accuracy') } : null,
    chart('loss-steps', 'Training loss per step', stepCurvesSpec(runs, steps, { ...stepOptions, metric: 'loss' })),
    chart('accuracy-steps', 'Training accuracy per step', stepCurvesSpec(runs, steps, { ...stepOptions, metric: 'accuracy' })),
    chart('config-accuracy', 'Accuracy per config', configMetricSpec(runs)),
    chart('param-effects', 'Hyperparameters', paramEffectsSpec(runs)),
    chart('parallel-coordinates', 'Parallel coordinates', parallelCoordinatesSpec(runs)),
    chart('accuracy-vs-time', 'Accuracy vs training time', accuracyVsTimeSpec(runs)),
    // Their titles follow the runs the reader compares (a `caption` signal the page sets).
    a?.test ? chart('confusion', 'Confusion matrix', confusionMatrixSpec(a.test, `Test confusion matrix · A = ${a.name}`, { retitle: true })) : null,
    a?.test && b?.test ? chart('confusion-diff', 'Confusion difference', confusionDiffSpec(a.test, b.test, a.name, b.name, { retitle: true })) : null,
    a?.test ? chart('per-class', 'Per-class scores', perClassSpec(a.test, `Per-class test scores · A = ${a.name}`, { retitle: true })) : null,
    a && aPredictions ? chart('reliability', 'Reliability (calibration)', reliabilitySpec(aPredictions, a.name, runTemperature(a))) : null,
  ];
  return charts.filter((c): c is ReportChart => c !== null);
}

function chart(id: string, title: string, spec: TopLevelSpec | null): ReportChart | null {
  return spec ? { id, title, spec } : null;
}
