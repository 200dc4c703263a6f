/**
 * From raw DigitSets to what models eat: pixels scaled to [0, 1] in a [N, 28, 28, 1] float32 tensor,
 * int32 labels, one-hot targets; plus seeded train/validation splits and subsets (on the raw bytes,
 * so no tensor memory is spent on images that are not used).
 */
import * as tf from '@tensorflow/tfjs';
import { UserError } from '../errors';
import { createRng, shuffleInPlace } from '../random';
import type { DigitSet } from './types';

/**
 * Images as float32 in [0, 1] and labels as int32; the caller disposes both.
 * @example const { xs, labels } = toTensors(mnist.test); // xs: [10000, 28, 28, 1]
 */
export function toTensors(set: DigitSet): { xs: tf.Tensor4D; labels: tf.Tensor1D } {
  const pixels = new Float32Array(set.images.length);
  for (let i = 0; i < pixels.length; i++) pixels[i] = set.images[i] / 255;
  const xs = tf.tensor4d(pixels, [set.count, set.rows, set.cols, 1]); // [N, rows, cols, 1]
  const labels = tf.tensor1d(Int32Array.from(set.labels), 'int32'); // [N]
  return { xs, labels };
}

/** One-hot float32 targets [N, numClasses] from int32 labels or raw label bytes. */
export function oneHot(labels: tf.Tensor1D | Uint8Array, numClasses = 10): tf.Tensor2D {
  if (labels instanceof Uint8Array) {
    return tf.tidy(() => tf.oneHot(tf.tensor1d(Int32Array.from(labels), 'int32'), numClasses).toFloat() as tf.Tensor2D);
  }
  return tf.tidy(() => tf.oneHot(labels.toInt(), numClasses).toFloat() as tf.Tensor2D);
}

/** The digits at `indices`, in that order (copies the bytes). */
export function selectDigits(set: DigitSet, indices: ArrayLike<number>): DigitSet {
  const size = set.rows * set.cols;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    images.set(set.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = set.labels[i];
  }
  return { images, labels, count: indices.length, rows: set.rows, cols: set.cols };
}

/**
 * The first `n` digits (a view, no copy).
 * @example subset(mnist.train, 1000)
 */
export function subset(set: DigitSet, n: number): DigitSet {
  if (!Number.isInteger(n) || n < 0 || n > set.count) {
    throw new UserError(`subset: asked for ${n} digits but the set has ${set.count}: use a whole number from 0 to ${set.count}.`);
  }
  const size = set.rows * set.cols;
  return { ...set, images: set.images.subarray(0, n * size), labels: set.labels.subarray(0, n), count: n };
}

export interface SplitOptions {
  validationFraction: number; // in [0, 1)
  seed: number;
  stratify?: boolean; // same class proportions in both parts; default false
}

/**
 * Holds out a seeded random `validationFraction` of `set`; both parts keep the original order.
 * The same seed always gives the same split.
 * @example const { train, validation } = splitTrainValidation(mnist.train, { validationFraction: 0.1, seed: 1 });
 */
export function splitTrainValidation(set: DigitSet, opts: SplitOptions): { train: DigitSet; validation: DigitSet } {
  const { validationFraction: f, seed } = opts;
  if (!(f >= 0 && f < 1)) {
    throw new UserError(`validationFraction must be at least 0 and below 1, got ${f}: use e.g. 0.1 to hold out 10%.`);
  }
  const rng = createRng(seed);
  const groups = opts.stratify ? indicesByLabel(set) : [range(set.count)];
  const isValidation = new Uint8Array(set.count);
  for (const group of groups) {
    shuffleInPlace(group, rng);
    const take = Math.round(group.length * f);
    for (let k = 0; k < take; k++) isValidation[group[k]] = 1;
  }
  const trainIdx: number[] = [];
  const validIdx: number[] = [];
  for (let i = 0; i < set.count; i++) (isValidation[i] ? validIdx : trainIdx).push(i);
  return { train: selectDigits(set, trainIdx), validation: selectDigits(set, validIdx) };
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

function indicesByLabel(set: DigitSet): number[][] {
  const groups: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < set.count; i++) groups[set.labels[i]].push(i);
  return groups;
}
