import * as tf from '@tensorflow/tfjs';
import type { TrainSpec } from '../config';
import { batchGradients, namedGradients } from './gradients';
import type { AugmentFn, BatchProgress, LabeledImages } from './options';
import { Rng, shuffleInPlace } from '../random';
import type { StepResult } from './steps';

/** What one pass over the training images produced. */
export interface EpochFit {
  loss: number;
  accuracy: number;
  images: number;
  seconds: number;
  interrupted: boolean;
}

/** One optimizer step on the training images at `idx` (this thread alone, or split across replicas). */
export type BatchStep = (idx: Int32Array) => StepResult | Promise<StepResult>;

export interface EpochContext {
  train: LabeledImages;
  spec: TrainSpec;
  rng: Rng;
  step: BatchStep;
  epoch: number;
  onBatch?: (progress: BatchProgress) => void;
  /** Every optimizer step's own result (per-step metrics, train/steps.ts). */
  onStep?: (result: StepResult, size: number, batch: number, batches: number) => void;
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
    const step = await ctx.step(idx);
    lossSum += step.loss * idx.length;
    correct += step.correct;
    images += idx.length;
    ctx.onStep?.(step, idx.length, b + 1, batches);
    const seconds = elapsed(started);
    ctx.onBatch?.({
      epoch: ctx.epoch, epochs: ctx.spec.epochs, batch: b + 1, batches, images,
      ...means(lossSum, correct, images), imagesPerSec: images / Math.max(seconds, 1e-9), seconds,
    });
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { ...means(lossSum, correct, images), images, seconds: elapsed(started), interrupted: false };
}

/**
 * The single-threaded step: gathers the batch, computes its gradients and applies them.
 * @example const step = localStep({ model, optimizer, train, spec: spec.train, rng, augment });
 */
export function localStep(ctx: {
  model: tf.LayersModel;
  optimizer: tf.Optimizer;
  train: LabeledImages;
  spec: TrainSpec;
  rng: Rng;
  augment: AugmentFn | null;
}): BatchStep {
  return (idx) => {
    const xs = gatherImages(ctx.train, idx);
    const labels = Int32Array.from(idx, (i) => ctx.train.labels[i]);
    const { grads, loss, correct } = batchGradients({ model: ctx.model, xs, labels, augment: ctx.augment, spec: ctx.spec.augment, rng: ctx.rng });
    xs.dispose();
    tf.tidy(() => ctx.optimizer.applyGradients(namedGradients(ctx.model, grads)));
    grads.forEach((g) => g.dispose());
    return { loss, correct };
  };
}

/** The images at `idx` as a new [idx.length, 28, 28, 1] tensor. */
export function gatherImages(images: LabeledImages, idx: Int32Array): tf.Tensor4D {
  return tf.tidy(() => tf.gather(images.xs, tf.tensor1d(idx, 'int32')) as tf.Tensor4D);
}

function means(lossSum: number, correct: number, images: number): { loss: number; accuracy: number } {
  return images === 0 ? { loss: 0, accuracy: 0 } : { loss: lossSum / images, accuracy: correct / images };
}

function elapsed(started: number): number {
  return (performance.now() - started) / 1000;
}
