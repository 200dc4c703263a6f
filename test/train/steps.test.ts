import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { MAX_STEP_POINTS, stepInterval, stepRecorder } from '../../src/train/steps';
import type { StepMetrics } from '../../src/train/types';

/** Feeds `epochs` x `batches` steps of 10 images (loss = step number, `correct` = 5) and collects the points. */
function record(epochs: number, batches: number, interval: number): StepMetrics[] {
  const out: StepMetrics[] = [];
  const recorder = stepRecorder(interval, (m) => out.push(m));
  let n = 0;
  for (let e = 1; e <= epochs; e++) for (let b = 1; b <= batches; b++) recorder.add({ loss: ++n, correct: 5 }, 10, e, b, batches);
  recorder.flush();
  return out;
}

describe('train/steps', () => {
  describe('stepInterval', () => {
    it('logs every step of a short run and stretches the interval for long ones', () => {
      assert.equal(stepInterval(141), 1);
      assert.equal(stepInterval(MAX_STEP_POINTS), 1);
      assert.equal(stepInterval(MAX_STEP_POINTS + 1), 2);
      assert.equal(stepInterval(1407 * 30), Math.ceil((1407 * 30) / MAX_STEP_POINTS));
    });
    it('rejects a zero point budget', () => {
      assert.throws(() => stepInterval(10, 0), /maxPoints must be at least 1, got 0/);
    });
  });

  describe('stepRecorder', () => {
    it('emits the image-weighted means of each stretch, with a fractional epoch', () => {
      const points = record(1, 4, 2);
      assert.deepEqual(points, [
        { step: 2, epoch: 0.5, loss: 1.5, accuracy: 0.5 },
        { step: 4, epoch: 1, loss: 3.5, accuracy: 0.5 },
      ]);
    });
    it('gives a one-epoch run many points and flushes the last partial stretch', () => {
      const points = record(1, 7, 3);
      assert.deepEqual(points.map((p) => p.step), [3, 6, 7]);
      assert.equal(points[2].loss, 7);
      assert.equal(points[2].epoch, 1);
    });
    it('keeps any run within MAX_STEP_POINTS + 1 points, whatever its length', () => {
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 400 }), (epochs, batches) => {
          const points = record(epochs, batches, stepInterval(epochs * batches));
          assert.ok(points.length <= MAX_STEP_POINTS + 1, `${points.length} points`);
          assert.ok(points.length >= Math.min(epochs * batches, MAX_STEP_POINTS / 2), `${points.length} points for ${epochs * batches} steps`);
          assert.equal(points[points.length - 1].step, epochs * batches);
        }),
        { numRuns: 60 },
      );
    });
  });
});
