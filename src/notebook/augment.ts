/** What training-time augmentation does to a digit: the same random transforms the fit loop uses. */
import * as tf from '@tensorflow/tfjs';
import type { AugmentSpec } from '../config';
import { augmentBatch } from '../data';
import { toTensors, selectDigits } from '../data';
import { createRng } from '../random';
import type { DigitSet } from '../data';

/**
 * `count` augmented copies of digit `index` of `set`, as bytes (rows x cols each), drawn with the
 * seeded generator the fit loop uses (augmentation is applied even when `spec.enabled` is false,
 * so the ranges can be previewed before switching it on).
 * @example tileDigitsPng([digitPixels(set, 0), ...augmentedDigits(set, 0, 7, DEFAULT_RUN_SPEC.train.augment)], 8, 28, 28)
 */
export function augmentedDigits(set: DigitSet, index: number, count: number, spec: AugmentSpec, seed = 1): Uint8Array[] {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) {
    throw new RangeError(`augmentedDigits: index ${index} is outside 0..${set.count - 1}`);
  }
  const copies = selectDigits(set, new Array<number>(count).fill(index));
  const { xs, labels } = toTensors(copies); // [count, rows, cols, 1] in [0, 1]
  labels.dispose();
  try {
    const bytes = tf.tidy(() => {
      const out = augmentBatch(xs, { ...spec, enabled: true }, createRng(seed));
      return out.mul(255).round().clipByValue(0, 255).toInt().dataSync();
    });
    const size = set.rows * set.cols;
    return Array.from({ length: count }, (_, k) => Uint8Array.from(bytes.subarray(k * size, (k + 1) * size)));
  } finally {
    xs.dispose();
  }
}
