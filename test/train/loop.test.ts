import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { trainRun } from '../../src/train/loop';
import type { EpochMetrics } from '../../src/train/types';
import { repeatable, syntheticFixture, TINY_CNN, tinySpec } from './helpers';

describe('train/loop', () => {
  const fixture = syntheticFixture();

  describe('trainRun', () => {
    it('trains, logs every epoch and evaluates validation and test', async () => {
      const logged: EpochMetrics[] = [];
      let batches = 0;
      const r = await trainRun(tinySpec({ epochs: 2 }), fixture.data, { onEpoch: (m) => void logged.push(m), onBatch: () => void batches++ });
      assert.equal(r.status, 'finished');
      assert.deepEqual(logged, r.history);
      assert.equal(batches, 2 * Math.ceil(96 / 16));
      assert.equal(r.test?.count, 32);
      assert.equal(r.testProbs?.length, 320);
      assert.equal(r.validationProbs?.length, 320);
      assert.equal(r.summary.epochs, 2);
      assert.ok(r.history[1].loss < r.history[0].loss, 'training loss falls on learnable data');
      r.model.dispose();
    });

    it('repeats exactly with the same seed (dropout, shuffling, init) and differs with another', async () => {
      const runs = [];
      for (const seed of [5, 5, 6]) {
        const r = await trainRun(tinySpec({ epochs: 1 }, seed), fixture.data);
        runs.push({ history: repeatable(r.history), probs: Array.from(r.testProbs ?? []) });
        r.model.dispose();
      }
      assert.deepEqual(runs[1], runs[0]);
      assert.notDeepEqual(runs[2].history, runs[0].history);
    });

    it('repeats exactly with augmentation on', async () => {
      const spec = tinySpec({ epochs: 1, augment: { enabled: true, rotation: 10, shift: 0.1, zoom: 0.1 } });
      const [a, b] = [await trainRun(spec, fixture.data), await trainRun(spec, fixture.data)];
      assert.deepEqual(repeatable(b.history), repeatable(a.history));
      const plain = await trainRun(tinySpec({ epochs: 1 }), fixture.data);
      assert.notEqual(plain.history[0].loss, a.history[0].loss, 'augmentation changes the batches');
      [a, b, plain].forEach((r) => r.model.dispose());
    });

    it('leaks no tensors', async () => {
      const before = tf.memory().numTensors;
      const r = await trainRun(tinySpec({ epochs: 2, earlyStopping: { monitor: 'val_loss', patience: 5, minDelta: 0 }, optimizer: { name: 'sgd', learningRate: 0.01, momentum: 0.9 } }), fixture.data);
      r.model.dispose();
      assert.equal(tf.memory().numTensors, before);
    });

    it('stops early and restores the best validation weights', async () => {
      // Epoch 1 trains at a sane rate; from epoch 2 the rate is 100,000x larger and wrecks the model.
      const spec = tinySpec({
        epochs: 6,
        schedule: { kind: 'step', stepEpochs: 1, factor: 1e5 },
        earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 0 },
      });
      const r = await trainRun(spec, fixture.data);
      assert.equal(r.history.length, 3, 'stops after 2 epochs without improvement');
      assert.equal(r.summary.bestEpoch, 1);
      assert.ok(!(r.history[2].valLoss <= r.history[0].valLoss), 'the later epochs really are worse');
      assert.equal(r.validation?.loss, r.history[0].valLoss, 'the returned model is epoch 1 again');
      assert.equal(r.summary.finalValLoss, r.history[0].valLoss);
      r.model.dispose();
    });

    it('stops after the current batch when aborted and reports "interrupted"', async () => {
      const controller = new AbortController();
      let seen = 0;
      const r = await trainRun(tinySpec({ epochs: 3 }), fixture.data, {
        signal: controller.signal,
        onBatch: (p) => {
          seen++;
          if (p.epoch === 2 && p.batch === 2) controller.abort();
        },
      });
      assert.equal(r.status, 'interrupted');
      assert.equal(seen, 6 + 2);
      assert.equal(r.history.length, 1);
      assert.equal(r.test, null);
      assert.equal(r.testProbs, null);
      assert.equal(r.summary.epochs, 1);
      r.model.dispose();
    });

    it('updates batch-norm moving statistics while training', async () => {
      const spec = tinySpec({ epochs: 1 });
      spec.model = { ...TINY_CNN, blocks: [{ ...TINY_CNN.blocks[0], batchNorm: true }] };
      const r = await trainRun(spec, fixture.data);
      const bn = r.model.layers.find((l) => l.getClassName() === 'BatchNormalization');
      const movingMean = Array.from(bn?.getWeights()[2].dataSync() ?? []);
      assert.equal(movingMean.length, 2);
      assert.ok(movingMean.some((v) => v !== 0), 'moving mean left at its initial zeros');
      r.model.dispose();
    });

    it('rejects an ensemble spec', async () => {
      const spec = tinySpec();
      spec.model = { kind: 'ensemble', combine: 'average', members: [] };
      await assert.rejects(trainRun(spec, fixture.data), /combineProbabilities/);
    });
  });
});
