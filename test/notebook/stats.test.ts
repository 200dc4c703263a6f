import assert from 'node:assert/strict';
import type { DigitSet } from '../../src/data/types';
import { classCounts, classIntensity, meanImage } from '../../src/notebook/stats';
import { barDigits } from './fixtures';

/** A 2 x 1 "image" set: enough to check the arithmetic by hand. */
function tiny(images: number[][], labels: number[]): DigitSet {
  return { images: Uint8Array.from(images.flat()), labels: Uint8Array.from(labels), count: labels.length, rows: 1, cols: 2 };
}

describe('notebook', () => {
  describe('classCounts', () => {
    it('counts each class and its share of the set', () => {
      const counts = classCounts(tiny([[0, 0], [0, 0], [0, 0], [0, 0]], [3, 3, 3, 7]));
      assert.equal(counts.length, 10);
      assert.deepEqual(counts[3], { label: 3, count: 3, fraction: 0.75 });
      assert.deepEqual(counts[7], { label: 7, count: 1, fraction: 0.25 });
      assert.equal(counts[0].count, 0);
    });
  });

  describe('meanImage', () => {
    it('averages pixels over the whole set or over one class, rounded to bytes', () => {
      const set = tiny([[0, 255], [100, 0], [200, 0]], [1, 2, 2]);
      assert.deepEqual([...meanImage(set)], [100, 85]);
      assert.deepEqual([...meanImage(set, 2)], [150, 0]);
      assert.deepEqual([...meanImage(set, 5)], [0, 0]); // no images of the class
    });
  });

  describe('classIntensity', () => {
    it('gives mean intensity in [0, 1] and the share of pixels above half', () => {
      const stats = classIntensity(tiny([[255, 0], [255, 255], [51, 0]], [1, 1, 4]));
      assert.equal(stats[1].meanIntensity, 0.75);
      assert.equal(stats[1].inkFraction, 0.75);
      assert.ok(Math.abs(stats[4].meanIntensity - 0.1) < 1e-12);
      assert.equal(stats[4].inkFraction, 0);
      assert.equal(stats[0].meanIntensity, 0);
    });

    it('counts only pixels above half as ink (the bars, not the dim index pixel)', () => {
      const stats = classIntensity(barDigits(20));
      assert.ok(stats.every((s) => Math.abs(s.inkFraction - 20 / 784) < 1e-9));
    });
  });
});
