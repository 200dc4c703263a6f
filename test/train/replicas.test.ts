import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import type { RunSpec } from '../../src/config/types';
import { createOptimizer, disposeOptimizer } from '../../src/train/optimizer';
import { buildModel } from '../../src/models/registry';
import { createRng } from '../../src/random';
import { trainRun } from '../../src/train/loop';
import { splitShares, startReplicas } from '../../src/train/replicas';
import { repeatable, syntheticFixture, TINY_CNN, tinySpec } from './helpers';

/** tinySpec with `replicas` threads (1 = none), optionally without dropout. */
function spec(replicas: number, overrides: Partial<RunSpec['train']> = {}, dropout = 0.1): RunSpec {
  const s = tinySpec({ epochs: 1, ...overrides });
  s.model = { ...TINY_CNN, blocks: [{ ...TINY_CNN.blocks[0], dropout }] };
  if (replicas > 1) s.train.replicas = replicas;
  return s;
}

describe('train/replicas', function () {
  this.timeout(60_000); // each run starts worker threads that load TF.js and the wasm engine
  const fixture = syntheticFixture();

  describe('splitShares', () => {
    it('cuts a batch into contiguous shares, larger ones first, none empty but the last ones', () => {
      const shares = (n: number, count: number) => splitShares(Int32Array.from({ length: n }, (_, i) => i), count).map((s) => Array.from(s));
      assert.deepEqual(shares(5, 2), [[0, 1, 2], [3, 4]]);
      assert.deepEqual(shares(64, 2).map((s) => s.length), [32, 32]);
      assert.deepEqual(shares(7, 3), [[0, 1, 2], [3, 4], [5, 6]]);
      assert.deepEqual(shares(1, 3), [[0], [], []]);
    });
  });

  describe('trainRun with replicas', () => {
    it('takes the same steps as one thread when nothing random depends on the share (no dropout, no augmentation)', async () => {
      // Averaging the shares' mean gradients, weighted by size, is the whole batch's mean gradient.
      const one = await trainRun(spec(1, {}, 0), fixture.data);
      const two = await trainRun(spec(2, {}, 0), fixture.data);
      const three = await trainRun(spec(3, { batchSize: 19 }, 0), fixture.data); // 96 = 5 * 19 + 1: a last batch of one image
      const oneOf19 = await trainRun(spec(1, { batchSize: 19 }, 0), fixture.data);
      for (const [a, b] of [[one, two], [oneOf19, three]]) {
        const [pa, pb] = [a.testProbs!, b.testProbs!];
        const gap = pa.reduce((m, p, i) => Math.max(m, Math.abs(p - pb[i])), 0);
        assert.ok(gap < 1e-4, `test probabilities differ by ${gap}`);
        assert.ok(Math.abs(a.history[0].loss - b.history[0].loss) < 1e-4);
        assert.equal(a.history[0].accuracy, b.history[0].accuracy);
      }
      assert.ok(Math.abs(one.history[0].loss - oneOf19.history[0].loss) > 1e-4, 'a different batch size really trains differently');
      [one, two, three, oneOf19].forEach((r) => r.model.dispose());
    });

    it('repeats exactly with the same seed (each replica draws its own dropout and augmentation)', async () => {
      const augmented = { augment: { enabled: true, rotation: 10, shift: 0.1, zoom: 0.1 } };
      const [a, b] = [await trainRun(spec(2, augmented), fixture.data), await trainRun(spec(2, augmented), fixture.data)];
      assert.deepEqual(repeatable(b.history), repeatable(a.history));
      assert.deepEqual(Array.from(b.testProbs!), Array.from(a.testProbs!));
      const single = await trainRun(spec(1, augmented), fixture.data);
      assert.notEqual(single.history[0].loss, a.history[0].loss, 'the replica draws its own random numbers');
      [a, b, single].forEach((r) => r.model.dispose());
    });

    it('trains from the trained weights, not their moving average (train.ema)', async () => {
      const [plain, averaged] = [await trainRun(spec(2, { epochs: 2 }), fixture.data), await trainRun(spec(2, { epochs: 2, ema: 0.9 }), fixture.data)];
      const trainingSide = (r: typeof plain) => r.history.map(({ loss, accuracy }) => ({ loss, accuracy }));
      assert.deepEqual(trainingSide(averaged), trainingSide(plain));
      assert.notEqual(averaged.history[1].valLoss, plain.history[1].valLoss, 'validation sees the average');
      [plain, averaged].forEach((r) => r.model.dispose());
    });

    it('leaks no tensors and stops after the current batch when aborted', async () => {
      const before = tf.memory().numTensors;
      const controller = new AbortController();
      let seen = 0;
      const r = await trainRun(spec(2, { epochs: 3 }), fixture.data, {
        signal: controller.signal,
        onBatch: (p) => {
          seen++;
          if (p.epoch === 2 && p.batch === 2) controller.abort();
        },
      });
      assert.equal(r.status, 'interrupted');
      assert.equal(seen, 6 + 2);
      r.model.dispose();
      assert.equal(tf.memory().numTensors, before);
    });
  });

  describe('startReplicas', () => {
    it('fails with the reason when a replica cannot build the same network or use the augmentation, and leaves no thread behind', async () => {
      const s = spec(2);
      const model = buildModel(s.model as typeof TINY_CNN, { seed: 1 });
      const optimizer = createOptimizer(s.train.optimizer);
      const other = { ...TINY_CNN, blocks: [{ ...TINY_CNN.blocks[0], filters: 3 }] };
      const started = startReplicas({ count: 2, model, modelSpec: other, optimizer, train: fixture.data.train, spec: s.train, rng: createRng(1), augment: null });
      await assert.rejects(started, /replica thread: the replica's network has weights \[\[3,3,1,3\]/);
      const custom = startReplicas({ count: 2, model, modelSpec: s.model as typeof TINY_CNN, optimizer, train: fixture.data.train, spec: s.train, rng: createRng(1), augment: (xs) => xs.clone() });
      await assert.rejects(custom, /a custom augment function cannot reach them/);
      model.dispose();
      disposeOptimizer(optimizer);
    });
  });
});
