import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { buildModel } from '../../src/models/registry';
import { weightAverage } from '../../src/train/ema';
import { trainRun } from '../../src/train/loop';
import { repeatable, syntheticFixture, TINY_CNN, tinySpec } from './helpers';

/** Every trainable weight of the model set to `value`. */
function fill(model: tf.LayersModel, value: number): void {
  model.trainableWeights.forEach((w) => {
    const t = tf.fill(w.read().shape, value);
    w.write(t);
    t.dispose();
  });
}

/** The distinct values of the model's trainable weights (one when all are equal). */
function values(model: tf.LayersModel): number[] {
  const all = model.trainableWeights.flatMap((w) => Array.from(w.read().dataSync()));
  return [...new Set(all.map((v) => Number(v.toFixed(5))))];
}

describe('train/ema', () => {
  const fixture = syntheticFixture();

  describe('weightAverage', () => {
    it('folds every step in with decay min(decay, (1 + steps) / (10 + steps)) and swaps the average in and out', () => {
      const model = buildModel({ ...TINY_CNN, blocks: [{ ...TINY_CNN.blocks[0], batchNorm: true }] }, { seed: 1 });
      const frozen = model.getWeights().filter((_, i) => !model.weights[i].trainable).map((t) => Array.from(t.dataSync()));
      const before = tf.memory().numTensors;
      fill(model, 1);
      const average = weightAverage(model, 0.2);
      fill(model, 3);
      average.update(); // d = min(0.2, 2/11): 1 * 2/11 + 3 * 9/11
      const first = (2 / 11) * 1 + (9 / 11) * 3;
      fill(model, 5);
      average.update(); // d = min(0.2, 3/12) = 0.2
      average.swapIn();
      assert.deepEqual(values(model), [Number((0.2 * first + 0.8 * 5).toFixed(5))]);
      const stats = model.getWeights().filter((_, i) => !model.weights[i].trainable).map((t) => Array.from(t.dataSync()));
      assert.deepEqual(stats, frozen, 'batch-norm statistics are not averaged');
      average.swapOut();
      assert.deepEqual(values(model), [5], 'the trained weights come back');
      average.dispose();
      assert.equal(tf.memory().numTensors, before);
      model.dispose();
    });
  });

  describe('trainRun with train.ema', () => {
    it('trains exactly as without it, and validates, tests and returns the averaged weights', async () => {
      const [plain, averaged] = [await trainRun(tinySpec({ epochs: 3 }), fixture.data), await trainRun(tinySpec({ epochs: 3, ema: 0.9 }), fixture.data)];
      const trainingSide = (h: typeof plain.history) => repeatable(h).map(({ loss, accuracy }) => ({ loss, accuracy }));
      assert.deepEqual(trainingSide(averaged.history), trainingSide(plain.history), 'the average never feeds back into training');
      assert.notEqual(averaged.history[2].valLoss, plain.history[2].valLoss, 'validation sees other weights');
      assert.equal(averaged.validation?.loss, averaged.history[2].valLoss, 'the returned model is the average validated last');
      assert.notDeepEqual(Array.from(averaged.testProbs ?? []), Array.from(plain.testProbs ?? []));
      [plain, averaged].forEach((r) => r.model.dispose());
    });

    it('returns the averaged weights when interrupted too', async () => {
      const interrupted = async (ema?: number) => {
        const controller = new AbortController();
        const onBatch = (p: { epoch: number; batch: number }) => (p.epoch === 2 && p.batch === 2 ? controller.abort() : undefined);
        const r = await trainRun(tinySpec({ epochs: 3, ema }), fixture.data, { signal: controller.signal, onBatch });
        const weights = r.model.getWeights().map((t) => Array.from(t.dataSync()));
        r.model.dispose();
        return { status: r.status, weights };
      };
      const [plain, averaged] = [await interrupted(), await interrupted(0.9)];
      assert.equal(averaged.status, 'interrupted');
      assert.notDeepEqual(averaged.weights, plain.weights);
    });

    it('restores the best averaged weights with early stopping, and leaks no tensors', async () => {
      const before = tf.memory().numTensors;
      const spec = tinySpec({
        epochs: 5,
        ema: 0.5,
        schedule: { kind: 'step', stepEpochs: 1, factor: 1e5 }, // from epoch 2 the rate wrecks the model
        earlyStopping: { monitor: 'val_loss', patience: 2, minDelta: 0 },
      });
      const r = await trainRun(spec, fixture.data);
      assert.ok(r.history.length < 5, 'stops early');
      assert.equal(r.validation?.loss, r.history[r.summary.bestEpoch - 1].valLoss, 'the returned model is the best epoch\'s average');
      r.model.dispose();
      assert.equal(tf.memory().numTensors, before);
    });
  });
});
