export { buildModel, modelKinds } from './registry';
export type { BuildOptions } from './registry';
export { buildCnn } from './cnn';
export { buildRnn } from './rnn';
export { combineProbabilities, weightsFromAccuracy } from './ensemble';
export type { CombineMethod } from './ensemble';
export { saveModel, loadModel } from './io';
