import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProgressReporter, formatBatchLine, formatEpochLine } from '../../src/cli/progress';
import type { EpochMetrics } from '../../src/train/types';

const epoch: EpochMetrics = { epoch: 3, loss: 0.07123, accuracy: 0.97812, valLoss: 0.049, valAccuracy: 0.98523, learningRate: 0.00081, imagesPerSec: 612.4, seconds: 88.12 };

describe('cli/progress', () => {
  describe('formatEpochLine', () => {
    it('shows the epoch, losses, accuracies, rate, speed and time', () => {
      assert.equal(formatEpochLine(epoch, 12), 'epoch 3/12  loss 0.0712 acc 0.9781  val_loss 0.0490 val_acc 0.9852  lr 0.000810  612 img/s  88.1s');
    });
  });

  describe('createProgressReporter', () => {
    it('writes one plain line per epoch and no bar when the output is not a terminal', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'digits-progress-')), 'out.txt');
      const stream = fs.createWriteStream(file) as unknown as NodeJS.WriteStream;
      const reporter = createProgressReporter(12, stream);
      reporter.onBatch({ epoch: 3, epochs: 12, batch: 1, batches: 10, images: 64, loss: 1, accuracy: 0.5, imagesPerSec: 100, seconds: 0.6 });
      reporter.onEpoch(epoch);
      reporter.stop();
      return new Promise<void>((resolve) => stream.end(() => {
        assert.equal(fs.readFileSync(file, 'utf8'), formatEpochLine(epoch, 12) + '\n');
        resolve();
      }));
    });

    it('writes a batch status line between epochs when the time has come, none for an epoch\'s last batch', () => {
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'digits-progress-')), 'out.txt');
      const stream = fs.createWriteStream(file) as unknown as NodeJS.WriteStream;
      const reporter = createProgressReporter(12, stream, 0);
      const batch = { epoch: 3, epochs: 12, batch: 4, batches: 10, images: 256, loss: 0.25, accuracy: 0.9, imagesPerSec: 321.4, seconds: 0.8 };
      reporter.onBatch(batch);
      reporter.onBatch({ ...batch, batch: 10 });
      reporter.onEpoch(epoch);
      return new Promise<void>((resolve) => stream.end(() => {
        assert.equal(fs.readFileSync(file, 'utf8'), `epoch 3/12 batch 4/10 | 321 img/s | loss 0.2500 acc 0.9000\n${formatEpochLine(epoch, 12)}\n`);
        assert.equal(formatBatchLine(batch), 'epoch 3/12 batch 4/10 | 321 img/s | loss 0.2500 acc 0.9000');
        resolve();
      }));
    });
  });
});
