/**
 * Notebook helpers: pictures, statistics and charts as plain PNG bytes, SVG and HTML strings that a
 * tslab cell shows with tslab.display.png/svg/html. Nothing here imports tslab.
 */
export { tileDigitsPng, digitGridPng, digitPixels, type TileOptions } from './images';
export { classCounts, meanImage, classIntensity, type ClassCount, type ClassIntensity } from './stats';
export { classBalanceSpec, classIntensitySpec } from './specs';
export { vegaLiteSvg } from './svg';
export { augmentedDigits } from './augment';
export { liveLearningCurves, type DisplayLike, type LiveCurves, type LiveCurvesOptions } from './live';
export { runsTableHtml, mistakesGalleryHtml } from './runs';
export { testPredictions } from '../report';
export { notebookSettings, QUICK_ENV, TRAIN_LIMIT_ENV, type NotebookSettings } from './settings';
