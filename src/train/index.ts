/** Training: the fit loop, schedules, evaluation metrics and run artifacts. */
export * from './types';
export { trainRun } from './loop';
export type { TrainOptions, TrainResult, TrainingData, LabeledImages, BatchProgress, AugmentFn } from './options';
export { prepareData, disposeData } from './data';
export { evaluate, confusionMatrix, classMetrics, crossEntropy, predictions, NUM_CLASSES } from './metrics';
export { learningRateForEpoch, stoppingState } from './schedule';
export type { StoppingState } from './schedule';
export { createOptimizer, disposeOptimizer, setLearningRate } from './optimizer';
export { predictProbs } from './predict';
export { writeRunConfig, writeRunResults, writeRunEvaluation, readRunArtifacts } from './artifacts';
export type { RunArtifacts, StoredProbs, RunEvaluation } from './artifacts';
export { trainAndRecord } from './record';
export type { RecordedRun, RecordedRunInput } from './record';
export { trainEnsembleAndRecord, memberSeed } from './ensemble-run';
export type { EnsembleRunInput } from './ensemble-run';
export { collectProvenance } from './provenance';
export { combineRuns } from './ensemble-runs';
export type { EnsembleResult } from './ensemble-runs';
