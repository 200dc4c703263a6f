/** Experiments: YAML files -> validated, defaulted RunSpecs -> trials with stable hashes. */
export * from './types';
export * from './defaults';
export { loadExperiment, parseSetFlags, type LoadOptions } from './load';
export { expandTrials, resolveSpec, type ExperimentDefinition } from './expand';
export { trialHash, canonicalJson } from './hash';
export { flattenParams, type ParamValue } from './params';
export { sampleRandom, type RandomSearch, type Distribution } from './random';
export { cnnBlockSizes, kernelDims } from './checks';
