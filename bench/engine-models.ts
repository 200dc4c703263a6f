import * as tf from '@tensorflow/tfjs';
import type { CnnSpec, RnnSpec } from '../src/config/types';
import { buildCnn } from '../src/models/cnn';
import { loadTrial } from '../src/config';

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

/** The cnn-strided preset's spec: stride-2 convolutions, whose input gradient is phased. */
const stridedSpec = (): CnnSpec => loadTrial({ preset: 'cnn-strided' }).spec.model as CnnSpec;

/** The cnn-strided preset's network. */
export function stridedCnn(): tf.Sequential {
  return buildCnn(stridedSpec(), { seed: 1 });
}

export interface ModelKind {
  name: 'cnn' | 'lstm128' | 'cnn-strided';
  build: () => tf.Sequential;
  inputShape: number[]; // per image
  /** The spec the project's own training step builds from (for --replicas): the same network. */
  spec?: () => CnnSpec | RnnSpec;
}

export const MODELS: ModelKind[] = [
  { name: 'cnn', build: referenceCnn, inputShape: [28, 28, 1] },
  { name: 'lstm128', build: lstm128, inputShape: [28, 28] },
  { name: 'cnn-strided', build: stridedCnn, inputShape: [28, 28, 1], spec: stridedSpec },
];

/** Measured unless --models names others (cnn-strided takes minutes a batch on the cpu backend). */
export const DEFAULT_MODELS = ['cnn', 'lstm128'];
