import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { augmentedDigits } from '../../src/notebook/augment';
import { digitPixels } from '../../src/notebook/images';
import { barDigits } from './fixtures';

const NONE = { enabled: false, rotation: 0, shift: 0, zoom: 0 };
const STRONG = { enabled: false, rotation: 25, shift: 0.15, zoom: 0.2 };

describe('notebook', () => {
  describe('augmentedDigits', () => {
    before(() => tf.setBackend('cpu'));

    it('returns the digit unchanged when every range is zero', () => {
      const set = barDigits(5);
      const copies = augmentedDigits(set, 3, 2, NONE);
      assert.equal(copies.length, 2);
      for (const copy of copies) assert.deepEqual([...copy], [...digitPixels(set, 3)]);
    });

    it('transforms each copy differently, even when the spec has augmentation switched off', () => {
      const set = barDigits(5);
      const [a, b] = augmentedDigits(set, 2, 2, STRONG, 7);
      assert.notDeepEqual([...a], [...digitPixels(set, 2)]);
      assert.notDeepEqual([...a], [...b]);
    });

    it('gives the same copies for the same seed and frees its tensors', () => {
      const set = barDigits(5);
      const before = tf.memory().numTensors;
      const first = augmentedDigits(set, 1, 3, STRONG, 11);
      const second = augmentedDigits(set, 1, 3, STRONG, 11);
      assert.deepEqual(first.map((x) => [...x]), second.map((x) => [...x]));
      assert.equal(tf.memory().numTensors, before);
    });

    it('rejects an index outside the set', () => {
      assert.throws(() => augmentedDigits(barDigits(5), 5, 1, STRONG), /index 5 is outside 0..4/);
    });
  });
});
