import * as tf from '@tensorflow/tfjs';

/** The reference CNN of the engine goals: conv32 3x3, pool 2, conv64 3x3, pool 2, dense128, dense10. */
export function referenceCnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

/** LSTM-128 reading the 28 rows of an image as a sequence of 28-pixel vectors. */
export function lstm128(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.lstm({ inputShape: [28, 28], units: 128, recurrentInitializer: 'glorotUniform' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

export interface ModelKind {
  name: 'cnn' | 'lstm128';
  build: () => tf.Sequential;
  inputShape: number[]; // per image
}

export const MODELS: ModelKind[] = [
  { name: 'cnn', build: referenceCnn, inputShape: [28, 28, 1] },
  { name: 'lstm128', build: lstm128, inputShape: [28, 28] },
];
