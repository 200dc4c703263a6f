import assert from 'node:assert/strict';
import { defaultEverySteps, smoothPoints, StepCurve, stepCurvesSpec, type CurvePoint } from '../../src/notebook/step-curves';
import { vegaLiteSvg } from '../../src/notebook/svg';
import type { BatchProgress } from '../../src/train/options';

/** The progress the fit loop reports for per-batch losses and correct counts (10 images a batch). */
function progressOf(epoch: number, epochs: number, losses: number[], correct: number[]): BatchProgress[] {
  let [lossSum, right, images] = [0, 0, 0];
  return losses.map((loss, b) => {
    lossSum += loss * 10;
    right += correct[b];
    images += 10;
    return { epoch, epochs, batch: b + 1, batches: losses.length, images, loss: lossSum / images, accuracy: right / images, imagesPerSec: 1, seconds: 1 };
  });
}

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);

describe('notebook', () => {
  describe('StepCurve', () => {
    it('turns running means into the exact mean of each window of steps', () => {
      const curve = new StepCurve(2);
      const added = progressOf(1, 2, [4, 2, 1, 1, 0.5], [1, 3, 5, 5, 9]).map((p) => curve.addBatch(p));
      assert.deepEqual(added, [false, true, false, true, true], 'every 2 steps, and the last batch of the epoch');
      const train = curve.points;
      assert.deepEqual(train.map((p) => p.step), [2, 4, 5]);
      assert.deepEqual(train.map((p) => p.epoch), [0.4, 0.8, 1]);
      near(train[0].loss, 3);
      near(train[1].loss, 1);
      near(train[2].loss, 0.5);
      near(train[0].accuracy, 0.2);
      near(train[2].accuracy, 0.9);
    });

    it('starts a new window at each epoch and puts validation at the whole epoch', () => {
      const curve = new StepCurve(3);
      for (const p of progressOf(1, 2, [1, 1, 1], [5, 5, 5])) curve.addBatch(p);
      curve.addEpoch({ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 0.9, valAccuracy: 0.6, learningRate: 0.001, imagesPerSec: 1, seconds: 1 });
      for (const p of progressOf(2, 2, [0.5, 0.5, 0.5], [8, 8, 8])) curve.addBatch(p);
      assert.deepEqual(
        curve.points.map((p) => [p.split, p.epoch, p.step, p.loss]),
        [['train', 1, 3, 1], ['validation', 1, 3, 0.9], ['train', 2, 6, 0.5]],
      );
      assert.equal(curve.epochs, 2);
    });

    it('defaults to about 20 points an epoch', () => {
      assert.deepEqual([1, 8, 20, 21, 938].map(defaultEverySteps), [1, 1, 1, 2, 47]);
    });

    it('rejects a window that is not a whole number of steps', () => {
      assert.throws(() => new StepCurve(0), /everySteps must be a whole number >= 1, got 0/);
    });
  });

  describe('smoothPoints', () => {
    const points: CurvePoint[] = [
      { split: 'train', epoch: 0.5, step: 1, loss: 2, accuracy: 0 },
      { split: 'train', epoch: 1, step: 2, loss: 1, accuracy: 1 },
      { split: 'validation', epoch: 1, step: 2, loss: 7, accuracy: 0.3 },
    ];

    it('averages training points with bias correction and leaves validation as it is', () => {
      const s = smoothPoints(points, 0.5);
      near(s[0].loss, 2); // the first point is not pulled toward 0
      near(s[1].loss, (0.5 * 1 + 0.25 * 2) / 0.75);
      assert.deepEqual(s[2], points[2]);
      assert.equal(smoothPoints(points, 0), points);
    });

    it('rejects a weight outside [0, 1)', () => {
      assert.throws(() => smoothPoints(points, 1), /smoothing must be from 0 up to \(not including\) 1, got 1/);
    });
  });

  describe('stepCurvesSpec', () => {
    it('draws loss and accuracy over the whole run from its first window', async () => {
      const curve = new StepCurve(1);
      curve.addBatch(progressOf(1, 3, [2, 1], [1, 2])[0]);
      const svg = await vegaLiteSvg(stepCurvesSpec(curve.points, { title: 'tiny <run>', epochs: curve.epochs }));
      assert.match(svg, />tiny &lt;run&gt;</);
      assert.match(svg, /aria-label="X-axis titled 'epoch' for a linear scale with values from 0.0 to 3.0"/);
      assert.match(svg, />loss</);
      assert.match(svg, />accuracy</);
    });
  });
});
