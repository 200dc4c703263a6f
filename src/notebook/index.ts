/**
 * Notebook helpers: pictures, statistics, charts as MIME bundles (Vega-Lite for JupyterLab, a PNG
 * for the HTML export), live learning curves, and one-call training of a spec or an experiment.
 * Nothing here imports tslab at load time; outputs go through newOutput() (see display.ts).
 */
export { tileDigitsPng, digitGridPng, digitPixels, type TileOptions } from './images';
export { classCounts, meanImage, classIntensity, type ClassCount, type ClassIntensity } from './stats';
export { classBalanceSpec, classIntensitySpec } from './specs';
export { vegaLiteSvg } from './svg';
export { chartBundle, textBundle, htmlBundle, VEGA_LITE_MIME, VEGA_LITE_V5_SCHEMA, type MimeBundle, type ChartBundleOptions } from './bundle';
export { newOutput, showChart, tslabSink, type Output, type DisplaySink } from './display';
export { augmentedDigits } from './augment';
export { StepCurve, stepCurvesSpec, storedCurvePoints, smoothPoints, type CurvePoint } from './step-curves';
export { liveLearningCurves, type LiveCurves, type LiveCurvesOptions } from './live';
export { trainSpec, specTrial, type SpecSource, type Overrides, type TrainSpecOptions } from './train';
export { runExperiment, type RunExperimentOptions, type ExperimentRuns } from './grid';
export { runsTableHtml, mistakesGalleryHtml } from './runs';
export { testPredictions } from '../report';
export { notebookSettings, QUICK_ENV, TRAIN_LIMIT_ENV, type NotebookSettings } from './settings';
