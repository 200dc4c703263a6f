export { buildModel, modelKinds } from './registry';
export type { BuildOptions } from './registry';
export { buildCnn } from './cnn';
export { buildRnn } from './rnn';
export { combineProbabilities, weightsFromAccuracy } from './ensemble';
export type { CombineMethod } from './ensemble';
export { applyPreset, getPreset, presetNames } from './presets';
export type { Preset } from './presets';
export { saveModel, loadModel } from './io';
