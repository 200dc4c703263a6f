import { strict as assert } from 'node:assert';
import { learningRateForEpoch, stoppingState } from '../../src/train/schedule';
import type { EpochMetrics } from '../../src/train/types';

function epochs(valLosses: number[], valAccuracies: number[] = valLosses.map(() => 0.5)): EpochMetrics[] {
  return valLosses.map((valLoss, i) => ({
    epoch: i + 1, loss: 1, accuracy: 0.5, valLoss, valAccuracy: valAccuracies[i], learningRate: 0.1, imagesPerSec: 1, seconds: 1,
  }));
}

const close = (a: number, b: number) => assert.ok(Math.abs(a - b) < 1e-12, `${a} != ${b}`);

describe('train/schedule', () => {
  describe('learningRateForEpoch', () => {
    it('keeps the base rate without a schedule', () => {
      close(learningRateForEpoch(0.01, { kind: 'none' }, 7, []), 0.01);
    });

    it('decays exponentially from the first epoch', () => {
      const s = { kind: 'exponential', decayRate: 0.5, decayEpochs: 2 } as const;
      close(learningRateForEpoch(0.8, s, 1, []), 0.8);
      close(learningRateForEpoch(0.8, s, 3, []), 0.4);
      close(learningRateForEpoch(0.8, s, 5, []), 0.2);
    });

    it('drops in steps', () => {
      const s = { kind: 'step', stepEpochs: 5, factor: 0.5 } as const;
      assert.deepEqual([1, 5, 6, 10, 11].map((e) => learningRateForEpoch(0.001, s, e, [])), [0.001, 0.001, 0.0005, 0.0005, 0.00025]);
    });

    it('reduces on a plateau of val_loss, not below the minimum, and waits again after a drop', () => {
      const s = { kind: 'plateau', factor: 0.1, patience: 2, minLearningRate: 0.0005 } as const;
      const h = epochs([1.0, 0.9, 0.95, 0.92, 0.91, 0.93, 0.94, 0.95]);
      // epochs 3,4 do not beat 0.9 -> drop before epoch 5; 5,6 do not -> drop again (clamped).
      close(learningRateForEpoch(0.1, s, 4, h), 0.1);
      close(learningRateForEpoch(0.1, s, 5, h), 0.01);
      close(learningRateForEpoch(0.1, s, 6, h), 0.01);
      close(learningRateForEpoch(0.1, s, 7, h), 0.001);
      close(learningRateForEpoch(0.1, s, 9, h), 0.0005);
    });
  });

  describe('stoppingState', () => {
    it('stops after `patience` epochs without improving val_loss', () => {
      const spec = { monitor: 'val_loss', patience: 2, minDelta: 0 } as const;
      assert.deepEqual(stoppingState(epochs([1, 0.8, 0.9]), spec), { bestEpoch: 2, shouldStop: false });
      assert.deepEqual(stoppingState(epochs([1, 0.8, 0.9, 0.85]), spec), { bestEpoch: 2, shouldStop: true });
    });

    it('counts only improvements larger than minDelta', () => {
      const spec = { monitor: 'val_accuracy', patience: 1, minDelta: 0.01 } as const;
      const h = epochs([1, 1, 1], [0.9, 0.905, 0.95]);
      assert.deepEqual(stoppingState(h.slice(0, 2), spec), { bestEpoch: 1, shouldStop: true });
      assert.deepEqual(stoppingState(h, spec), { bestEpoch: 3, shouldStop: false });
    });

    it('never stops without early stopping but still names the best val_accuracy epoch', () => {
      assert.deepEqual(stoppingState(epochs([1, 1, 1], [0.5, 0.7, 0.6]), null), { bestEpoch: 2, shouldStop: false });
      assert.deepEqual(stoppingState([], null), { bestEpoch: 0, shouldStop: false });
    });
  });
});
