/**
 * The public API of digit-lab: what notebooks and other programs import.
 * Importing this module does nothing by itself (no backend is chosen, no file is read).
 */
export { UserError, isUserError } from './errors';
export * from './data';
export {
  loadExperiment,
  loadTrial,
  presetNames,
  presetFile,
  completeSpec,
  LIMITS,
  expandTrials,
  resolveSpec,
  trialHash,
  canonicalJson,
  flattenParams,
  parseSetFlags,
  sampleRandom,
  defaultRunSpec,
  DEFAULT_RUN_SPEC,
  isEnsembleSpec,
} from './config';
export type {
  RunSpec, ModelSpec, ModelKind, CnnSpec, RnnSpec, EnsembleSpec, EnsembleMember, ConvBlockSpec, TrainSpec, DataSpec,
  OptimizerSpec, LrSchedule, EarlyStoppingSpec, AugmentSpec, Trial, Experiment, ExperimentDefinition, LoadOptions,
  ParamValue, RandomSearch, Distribution, FlagOverride,
} from './config';
export { openStore, defaultDbPath, SqliteStore, groupBySeed, isPidAlive, RUN_STATUSES } from './tracking';
export type {
  Run, RunQuery, RunStatus, RunSummary, Provenance, TrackingStore, RunOwner, StaleRunOptions, SeedGroup, Stat, OpenOptions,
} from './tracking';
export * from './engine';
export * from './models';
export * from './train';
export {
  learningCurvesSpec,
  configMetricSpec,
  paramEffectsSpec,
  parallelCoordinatesSpec,
  confusionMatrixSpec,
  perClassSpec,
  accuracyVsTimeSpec,
  reportCharts,
  bestRun,
  variedParams,
  findMistakes,
  renderReportHtml,
  writeReport,
} from './report';
export type { ReportData, TestPredictions, Mistake, ReportChart, ReportOptions, WriteReportOptions, WrittenReport } from './report';
export {
  prepareDigitImage,
  prepareDigitArray,
  digitPng,
  pngDataUrl,
  ImageError,
  IMAGE_FORMATS,
  IMAGE_MIME_TYPES,
  DEFAULT_MAX_PIXELS,
} from './data';
export type { PreparedDigit, DecodeOptions, ImageProblem } from './data';
export { runGrid, planGrid, TrialQueue, MAX_WORKER_DEATHS } from './runner';
export type { GridOptions, GridPlan, GridResult, RunnerEvent, TrialResult, QueuedTrial } from './runner';
export { buildServer, startServer, Predictor, folderCatalog, storeCatalog, resolveRun, RunLookupError } from './web';
export type { ServerOptions, Prediction, PredictorOptions, RunCatalog, RunInfo, RunProblem, PredictResponse } from './web';
export { collectReportData, valAccuracy, testAccuracy, listMistakes } from './report';
export * from './notebook';
