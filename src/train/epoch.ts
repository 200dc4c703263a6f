import * as tf from '@tensorflow/tfjs';
import type { TrainSpec } from '../config/types';
import type { AugmentFn, BatchProgress, LabeledImages } from './options';
import { Rng, shuffleInPlace } from '../random';

/** What one pass over the training images produced. */
export interface EpochFit {
  loss: number;
  accuracy: number;
  images: number;
  seconds: number;
  interrupted: boolean;
}

export interface EpochContext {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  train: LabeledImages;
  spec: TrainSpec;
  rng: Rng;
  augment: AugmentFn | null;
  epoch: number;
  onBatch?: (progress: BatchProgress) => void;
  signal?: AbortSignal;
}

/**
 * One epoch of mini-batch training in shuffled order. Checks the abort signal before every batch
 * and yields to the event loop after it, so Ctrl-C is seen between batches.
 */
export async function fitEpoch(ctx: EpochContext): Promise<EpochFit> {
  const n = ctx.train.labels.length;
  const order = shuffleInPlace(Int32Array.from({ length: n }, (_, i) => i), ctx.rng);
  const batches = Math.ceil(n / ctx.spec.batchSize);
  const started = performance.now();
  let [lossSum, correct, images] = [0, 0, 0];
  for (let b = 0; b < batches; b++) {
    if (ctx.signal?.aborted) return { ...means(lossSum, correct, images), images, seconds: elapsed(started), interrupted: true };
    const idx = order.subarray(b * ctx.spec.batchSize, Math.min(n, (b + 1) * ctx.spec.batchSize));
    const step = trainBatch(ctx, idx);
    lossSum += step.loss * idx.length;
    correct += step.correct;
    images += idx.length;
    const seconds = elapsed(started);
    ctx.onBatch?.({
      epoch: ctx.epoch, epochs: ctx.spec.epochs, batch: b + 1, batches, images,
      ...means(lossSum, correct, images), imagesPerSec: images / Math.max(seconds, 1e-9), seconds,
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ...means(lossSum, correct, images), images, seconds: elapsed(started), interrupted: false };
}

/** One optimizer step on the images at `idx`; returns the batch loss and the number classified right. */
function trainBatch(ctx: EpochContext, idx: Int32Array): { loss: number; correct: number } {
  seedDropout(ctx.model, ctx.rng);
  const labels = Int32Array.from(idx, (i) => ctx.train.labels[i]);
  let correct: tf.Scalar | null = null;
  const loss = tf.tidy(() => {
    let xs = tf.gather(ctx.train.xs, tf.tensor1d(idx, 'int32')) as tf.Tensor4D; // [batch, 28, 28, 1]
    if (ctx.augment && ctx.spec.augment.enabled) xs = ctx.augment(xs, ctx.spec.augment, ctx.rng);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D; // [batch, 10]
    const variables = ctx.model.trainableWeights.map((w) => w.read() as tf.Variable);
    return ctx.optimizer.minimize(() => {
      const probs = ctx.model.apply(xs, { training: true }) as tf.Tensor2D; // [batch, 10]
      correct = tf.keep(tf.sum(tf.equal(tf.argMax(probs, 1), tf.argMax(ys, 1)).toFloat()) as tf.Scalar);
      return categoricalCrossEntropy(ys, probs);
    }, true, variables) as tf.Scalar;
  });
  const result = { loss: loss.dataSync()[0], correct: (correct as tf.Scalar | null)?.dataSync()[0] ?? 0 };
  loss.dispose();
  (correct as tf.Scalar | null)?.dispose();
  return result;
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

function means(lossSum: number, correct: number, images: number): { loss: number; accuracy: number } {
  return images === 0 ? { loss: 0, accuracy: 0 } : { loss: lossSum / images, accuracy: correct / images };
}

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}
