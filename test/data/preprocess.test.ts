import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { oneHot, selectDigits, splitTrainValidation, subset, toTensors } from '../../src/data/preprocess';
import type { DigitSet } from '../../src/data/types';
import { isUserError } from '../../src/errors';

/** `count` 2x2 "images" whose first pixel is the index (mod 256) and label index % 10. */
function tinySet(count: number): DigitSet {
  const images = new Uint8Array(count * 4);
  for (let i = 0; i < count; i++) images.set([i % 256, 255, 0, 51], i * 4);
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return { images, labels, count, rows: 2, cols: 2 };
}

describe('data/preprocess', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  describe('toTensors', () => {
    it('scales pixels to [0, 1] in [N, rows, cols, 1] and keeps labels as int32', async () => {
      const { xs, labels } = toTensors(tinySet(3));
      assert.deepEqual(xs.shape, [3, 2, 2, 1]);
      assert.equal(xs.dtype, 'float32');
      const px = await xs.data();
      assert.deepEqual(Array.from(px.subarray(4, 8)).map((v) => +v.toFixed(4)), [1 / 255, 1, 0, 0.2].map((v) => +v.toFixed(4)));
      assert.equal(labels.dtype, 'int32');
      assert.deepEqual(Array.from(await labels.data()), [0, 1, 2]);
      tf.dispose([xs, labels]);
    });
  });

  describe('oneHot', () => {
    it('encodes tensors and raw bytes alike', async () => {
      const fromBytes = oneHot(Uint8Array.of(2, 0), 3);
      const t = tf.tensor1d([2, 0], 'int32');
      const fromTensor = oneHot(t, 3);
      assert.deepEqual(fromBytes.shape, [2, 3]);
      assert.deepEqual(await fromBytes.array(), [[0, 0, 1], [1, 0, 0]]);
      assert.deepEqual(await fromTensor.array(), await fromBytes.array());
      tf.dispose([fromBytes, fromTensor, t]);
    });
  });

  describe('subset / selectDigits', () => {
    it('takes the first n digits', () => {
      const s = subset(tinySet(10), 4);
      assert.equal(s.count, 4);
      assert.deepEqual(Array.from(s.labels), [0, 1, 2, 3]);
      assert.equal(s.images.length, 16);
    });

    it('rejects more digits than the set has', () => {
      assert.throws(() => subset(tinySet(10), 11), (e: Error) => isUserError(e) && /asked for 11 digits but the set has 10/.test(e.message));
    });

    it('selects digits in the given order', () => {
      const s = selectDigits(tinySet(10), [7, 2]);
      assert.deepEqual(Array.from(s.labels), [7, 2]);
      assert.deepEqual(Array.from(s.images), [7, 255, 0, 51, 2, 255, 0, 51]);
    });
  });

  describe('splitTrainValidation', () => {
    const set = tinySet(200);
    const firstPixels = (s: DigitSet) => Array.from({ length: s.count }, (_, i) => s.images[i * 4]);

    it('holds out the fraction, disjoint and complete, in original order', () => {
      const { train, validation } = splitTrainValidation(set, { validationFraction: 0.1, seed: 1 });
      assert.deepEqual([train.count, validation.count], [180, 20]);
      const all = [...firstPixels(train), ...firstPixels(validation)].sort((a, b) => a - b);
      assert.deepEqual(all, firstPixels(set));
      const v = firstPixels(validation);
      assert.deepEqual(v, [...v].sort((a, b) => a - b));
    });

    it('is reproducible for a seed and differs between seeds', () => {
      const a = splitTrainValidation(set, { validationFraction: 0.2, seed: 7 });
      const b = splitTrainValidation(set, { validationFraction: 0.2, seed: 7 });
      const c = splitTrainValidation(set, { validationFraction: 0.2, seed: 8 });
      assert.deepEqual(firstPixels(a.validation), firstPixels(b.validation));
      assert.notDeepEqual(firstPixels(a.validation), firstPixels(c.validation));
    });

    it('keeps class proportions when stratified', () => {
      const { validation } = splitTrainValidation(set, { validationFraction: 0.1, seed: 3, stratify: true });
      const perClass = new Array(10).fill(0);
      validation.labels.forEach((l) => perClass[l]++);
      assert.deepEqual(perClass, new Array(10).fill(2));
    });

    it('allows no validation at all', () => {
      const { train, validation } = splitTrainValidation(set, { validationFraction: 0, seed: 1 });
      assert.deepEqual([train.count, validation.count], [200, 0]);
    });

    it('rejects a fraction outside [0, 1)', () => {
      for (const f of [1, -0.1, NaN]) {
        assert.throws(() => splitTrainValidation(set, { validationFraction: f, seed: 1 }), /validationFraction must be at least 0 and below 1/);
      }
    });
  });
});
