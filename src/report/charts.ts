/** Which charts a report shows, in page order, built from plain data. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { bestRun } from './runs';
import { confusionMatrixSpec, perClassSpec } from './specs/best';
import { configMetricSpec } from './specs/configs';
import { learningCurvesSpec, type CurvesOptions } from './specs/curves';
import { paramEffectsSpec, parallelCoordinatesSpec } from './specs/params';
import { accuracyVsTimeSpec } from './specs/time';
import type { ReportData } from './types';

export interface ReportChart {
  id: string; // stable, used as the HTML element id
  title: string;
  spec: TopLevelSpec;
}

/**
 * Every chart that has data to show: learning curves, accuracy per config, hyperparameter
 * effects, parallel coordinates, accuracy vs time, and the best run's confusion matrix and
 * per-class scores (on the test set; the best run is chosen by validation accuracy).
 */
export function reportCharts(data: ReportData, options: CurvesOptions = {}): ReportChart[] {
  const { runs, histories } = data;
  const best = bestRun(runs);
  const charts: (ReportChart | null)[] = [
    [...histories.values()].some((h) => h.length > 0)
      ? { id: 'learning-curves', title: 'Learning curves', spec: learningCurvesSpec(runs, histories, options) }
      : null,
    chart('config-accuracy', 'Accuracy per config', configMetricSpec(runs)),
    chart('param-effects', 'Hyperparameters', paramEffectsSpec(runs)),
    chart('parallel-coordinates', 'Parallel coordinates', parallelCoordinatesSpec(runs)),
    chart('accuracy-vs-time', 'Accuracy vs training time', accuracyVsTimeSpec(runs)),
    best?.test ? chart('best-confusion', 'Confusion matrix', confusionMatrixSpec(best.test, `Test confusion matrix · ${best.name}`)) : null,
    best?.test ? chart('best-per-class', 'Per-class scores', perClassSpec(best.test, `Per-class test scores · ${best.name}`)) : null,
  ];
  return charts.filter((c): c is ReportChart => c !== null);
}

function chart(id: string, title: string, spec: TopLevelSpec | null): ReportChart | null {
  return spec ? { id, title, spec } : null;
}
