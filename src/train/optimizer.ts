import * as tf from '@tensorflow/tfjs';
import type { OptimizerSpec } from '../config';

/** Creates the optimizer a spec names: Adam, SGD with momentum, or RMSprop (decay 0.9). */
export function createOptimizer(spec: OptimizerSpec): tf.Optimizer {
  switch (spec.name) {
    case 'adam':
      return tf.train.adam(spec.learningRate);
    case 'sgd':
      return tf.train.momentum(spec.learningRate, spec.momentum);
    case 'rmsprop':
      return tf.train.rmsprop(spec.learningRate, 0.9, spec.momentum);
  }
}

/** Changes an optimizer's learning rate in place (SGD keeps it in a cached scalar). */
export function setLearningRate(optimizer: tf.Optimizer, learningRate: number): void {
  const target = optimizer as unknown as { learningRate: number; setLearningRate?: (lr: number) => void };
  if (typeof target.setLearningRate === 'function') target.setLearningRate(learningRate);
  else target.learningRate = learningRate;
}

/**
 * Frees an optimizer's tensors. tfjs 4.22's MomentumOptimizer.dispose forgets the learning-rate
 * scalar its SGD parent keeps, so that one is freed here too.
 */
export function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
  const rate = (optimizer as unknown as { c?: tf.Tensor }).c;
  if (rate && !rate.isDisposed) rate.dispose();
}
