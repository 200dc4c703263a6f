/** Experiments: YAML files -> validated, defaulted RunSpecs -> trials with stable hashes. */
export * from './types';
export * from './defaults';
export { loadExperiment, loadTrial, parseSetFlags, type LoadOptions, type FlagOverride } from './load';
export { expandTrials, resolveSpec, trialCount, type ExperimentDefinition } from './expand';
export { trialHash, canonicalJson } from './hash';
export { completeSpec } from './complete';
export { cnnBlockSizes, cnnShapeProblem, kernelDims } from './checks';
export { presetNames, presetFile, PRESETS_DIR } from './presets';
export { LIMITS } from './limits';
export { flattenParams, type ParamValue } from './params';
export { sampleRandom, type RandomSearch, type Distribution } from './random';
