export { buildServer, startServer } from './server';
export type { ServerOptions } from './server';
export { Predictor } from './predictor';
export type { Prediction, PredictorOptions } from './predictor';
export { bestRun, folderCatalog, resolveRun, storeCatalog, RunLookupError } from './runs';
export type { RunCatalog, RunInfo, RunProblem } from './runs';
export type { PredictResponse } from './api';
