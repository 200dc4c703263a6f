import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { smoothPoints, StepCurve, stepCurvesSpec, storedCurvePoints, type CurvePoint } from '../../src/notebook/step-curves';
import { vegaLiteSvg } from '../../src/notebook/svg';
import { SqliteStore } from '../../src/tracking/store';
import { barMnist, recordTinyRun, tempDir } from './fixtures';

const near = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-9, `${a} vs ${b}`);
const epoch = (n: number, valLoss: number, valAccuracy: number) => ({ epoch: n, loss: 1, accuracy: 0.5, valLoss, valAccuracy, learningRate: 0.001, imagesPerSec: 1, seconds: 1 });

describe('notebook', () => {
  describe('StepCurve', () => {
    it('keeps each logged stretch of steps as a training point and validation at the whole epoch', () => {
      const curve = new StepCurve(2);
      curve.addStep({ step: 2, epoch: 0.5, loss: 2, accuracy: 0.3 });
      curve.addStep({ step: 4, epoch: 1, loss: 1, accuracy: 0.6 });
      curve.addEpoch(epoch(1, 0.9, 0.7));
      assert.deepEqual(
        curve.points.map((p) => [p.split, p.epoch, p.step, p.loss, p.accuracy]),
        [['train', 0.5, 2, 2, 0.3], ['train', 1, 4, 1, 0.6], ['validation', 1, 4, 0.9, 0.7]],
      );
    });
  });

  describe('smoothPoints', () => {
    const points: CurvePoint[] = [
      { split: 'train', epoch: 0.5, step: 1, loss: 2, accuracy: 0 },
      { split: 'train', epoch: 1, step: 2, loss: 1, accuracy: 1 },
      { split: 'validation', epoch: 1, step: 2, loss: 7, accuracy: 0.3 },
      { split: 'train', run: 'b', epoch: 0.5, step: 1, loss: 5, accuracy: 0 },
    ];

    it('averages training points with bias correction, per run, and leaves validation as it is', () => {
      const s = smoothPoints(points, 0.5);
      near(s[0].loss, 2); // the first point is not pulled toward 0
      near(s[1].loss, (0.5 * 1 + 0.25 * 2) / 0.75);
      assert.deepEqual(s[2], points[2]);
      near(s[3].loss, 5); // another run starts afresh
      assert.equal(smoothPoints(points, 0), points);
    });

    it('rejects a weight outside [0, 1)', () => {
      assert.throws(() => smoothPoints(points, 1), /smoothing must be from 0 up to \(not including\) 1, got 1/);
    });
  });

  describe('stepCurvesSpec', () => {
    it('draws loss and accuracy over the whole run from its first stretch', async () => {
      const curve = new StepCurve(3);
      curve.addStep({ step: 1, epoch: 0.1, loss: 2, accuracy: 0.1 });
      curve.addStep({ step: 2, epoch: 0.2, loss: 1.5, accuracy: 0.3 });
      const svg = await vegaLiteSvg(stepCurvesSpec(curve.points, { title: 'tiny <run>', epochs: curve.epochs }));
      assert.match(svg, />tiny &lt;run&gt;</);
      assert.match(svg, /aria-label="X-axis titled 'epoch' for a linear scale with values from 0.0 to 3.0"/);
      assert.match(svg, />loss</);
      assert.match(svg, />accuracy</);
      assert.doesNotMatch(svg, /Legend titled 'run'/);
    });

    it('colours several runs by run, with a legend of their names', async () => {
      const points: CurvePoint[] = ['a', 'b'].flatMap((run) => [
        { split: 'train' as const, run, epoch: 0.5, step: 1, loss: 1, accuracy: 0.5 },
        { split: 'train' as const, run, epoch: 1, step: 2, loss: 0.8, accuracy: 0.6 },
      ]);
      const svg = await vegaLiteSvg(stepCurvesSpec(points, { title: 'grid', epochs: 1 }));
      assert.match(svg, /aria-label="Symbol legend titled 'run' for fill color and stroke color with 2 values: a, b"/);
    });
  });

  describe('storedCurvePoints', function () {
    this.timeout(60_000);

    it('reads a recorded run’s step points and validation back from the store', async () => {
      const dir = tempDir();
      const store = new SqliteStore(path.join(dir, 'digits.sqlite'));
      try {
        const { run } = await recordTinyRun(store, barMnist(), dir);
        const points = storedCurvePoints(store, [store.getRun(run.id)!]);
        const train = points.filter((p) => p.split === 'train');
        assert.ok(train.length >= 2 && train[0].epoch < 1, 'step points from inside epoch 1');
        assert.deepEqual(points.filter((p) => p.split === 'validation').map((p) => p.epoch), [1, 2]);
        assert.ok(points.every((p) => p.run === 'tiny <b>cnn</b>'));
      } finally {
        store.close();
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
