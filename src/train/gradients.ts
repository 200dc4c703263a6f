import * as tf from '@tensorflow/tfjs';
import type { AugmentSpec } from '../config';
import type { Rng } from '../random';
import type { AugmentFn } from './options';

/** The loss gradients of one batch (or one replica's share of it), before any optimizer step. */
export interface BatchGradients {
  /** One gradient per trainable weight, in model.trainableWeights order. The caller disposes them. */
  grads: tf.Tensor[];
  /** Mean cross-entropy of the images. */
  loss: number;
  /** How many of them the model classified right (before the step). */
  correct: number;
}

export interface GradientInput {
  model: tf.LayersModel;
  /** The images [n, 28, 28, 1]; not disposed here. */
  xs: tf.Tensor4D;
  labels: Int32Array;
  /** Augmentation to apply (with `spec`), or null for none. */
  augment: AugmentFn | null;
  spec: AugmentSpec;
  /** Draws the dropout seeds, then the augmentation, in that order. */
  rng: Rng;
}

/**
 * Forward and backward pass of one batch in training mode (dropout on, batch norm on batch
 * statistics, which also moves its running averages). Both the single-threaded loop and every
 * replica thread call this, so a step means the same thing in both.
 *
 * @example
 * const { grads, loss } = batchGradients({ model, xs, labels, augment: null, spec, rng });
 * optimizer.applyGradients(namedGradients(model, grads));
 */
export function batchGradients(input: GradientInput): BatchGradients {
  const { model, labels, rng } = input;
  seedDropout(model, rng);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  let correct: tf.Scalar | null = null;
  const { value, grads } = tf.tidy(() => {
    const xs = input.augment && input.spec.enabled ? input.augment(input.xs, input.spec, rng) : input.xs;
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D; // [n, 10]
    return tf.variableGrads(() => {
      const probs = model.apply(xs, { training: true }) as tf.Tensor2D; // [n, 10]
      correct = tf.keep(tf.sum(tf.equal(tf.argMax(probs, 1), tf.argMax(ys, 1)).toFloat()) as tf.Scalar);
      return categoricalCrossEntropy(ys, probs);
    }, variables);
  });
  const result = {
    grads: variables.map((v) => grads[v.name]),
    loss: value.dataSync()[0],
    correct: (correct as tf.Scalar | null)?.dataSync()[0] ?? 0,
  };
  value.dispose();
  (correct as tf.Scalar | null)?.dispose();
  return result;
}

/** Gradients in model.trainableWeights order, keyed by variable name as optimizers want them. */
export function namedGradients(model: tf.LayersModel, grads: tf.Tensor[]): tf.NamedTensorMap {
  return Object.fromEntries(model.trainableWeights.map((w, i) => [(w.read() as tf.Variable).name, grads[i]]));
}

/** Mean cross-entropy of softmax outputs, probabilities clipped to [1e-7, 1] like Keras. */
function categoricalCrossEntropy(ys: tf.Tensor2D, probs: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(probs, 1e-7, 1))), 1))) as tf.Scalar;
}

/**
 * Gives every dropout layer a fresh seed drawn from the run's generator before each batch:
 * masks differ from batch to batch yet repeat exactly for the same run seed.
 */
function seedDropout(model: tf.LayersModel, rng: Rng): void {
  for (const layer of model.layers) {
    if (layer.getClassName() === 'Dropout') (layer as unknown as { seed: number }).seed = Math.floor(rng() * 2 ** 31);
  }
}
