/**
 * Reports: Vega-Lite spec builders (pure functions of plain run data, so notebooks render the same
 * charts) and the writer of one self-contained, offline HTML page.
 */
export * from './types';
export { learningCurvesSpec, curveRows, runLabels, type CurvesOptions } from './specs/curves';
export { configMetricSpec, configStats, type ConfigMetricOptions, type ConfigStat } from './specs/configs';
export { paramEffectsSpec, parallelCoordinatesSpec } from './specs/params';
export { paramAxes, type ParamAxis } from './specs/axes';
export { confusionMatrixSpec, confusionRows, perClassSpec } from './specs/best';
export { accuracyVsTimeSpec } from './specs/time';
export { reliabilitySpec } from './specs/reliability';
export { chartConfig } from './specs/theme';
export { reportCharts, type ReportChart } from './charts';
export { bestRun, variedParams, configGroups, shortParamNames, downsample, valAccuracy, testAccuracy, type ConfigGroup } from './runs';
export { findMistakes, listMistakes } from './mistakes';
export { escapeHtml, jsonForScript } from './escape';
export { renderReportHtml, type ReportOptions } from './html/page';
export { writeReport, collectReportData, checkReportTarget, DEFAULT_PREDICTION_RUNS, type WriteReportOptions, type WrittenReport } from './write';
export { liveReport, LIVE_REPORT_SECONDS, type LiveReport, type LiveReportOptions } from './live';
export { stepCurvesSpec, stepRows, type StepCurvesOptions } from './specs/steps';
export { confusionDiffSpec, confusionDiffRows } from './specs/best';
export { safeFileName } from './file-name';
export { chartBase } from './specs/theme';
export { vegaLibraries } from './vega';
export { galleryHtml } from './html/gallery';
export { formatParam } from './runs';
export { testPredictions } from './predictions';
export { DEFAULT_MAX_CURVES } from './specs/curves';
