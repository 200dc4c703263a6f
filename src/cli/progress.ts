/**
 * Training progress for the terminal: a bar per epoch on a TTY; otherwise one plain line per epoch
 * and, in between, a status line at most every few seconds (an epoch can take minutes).
 */
import cliProgress from 'cli-progress';
import type { BatchProgress } from '../train';
import type { EpochMetrics } from '../train';

export interface ProgressReporter {
  onBatch(progress: BatchProgress): void;
  onEpoch(metrics: EpochMetrics): void;
  /** Removes a bar that is still drawn (interrupt, error). */
  stop(): void;
}

/** One line per epoch, e.g. "epoch 3/12  loss 0.0712 acc 0.9781  val_loss 0.0490 val_acc 0.9852  lr 0.00081  612 img/s  88.1s". */
export function formatEpochLine(m: EpochMetrics, epochs: number): string {
  return (
    `epoch ${m.epoch}/${epochs}  loss ${m.loss.toFixed(4)} acc ${m.accuracy.toFixed(4)}  ` +
    `val_loss ${m.valLoss.toFixed(4)} val_acc ${m.valAccuracy.toFixed(4)}  lr ${m.learningRate.toPrecision(3)}  ` +
    `${Math.round(m.imagesPerSec)} img/s  ${m.seconds.toFixed(1)}s`
  );
}

/** The status line between epochs without a terminal: "epoch 2/12 batch 40/844 | 612 img/s | loss 0.0712 acc 0.9781". */
export function formatBatchLine(p: BatchProgress): string {
  return `epoch ${p.epoch}/${p.epochs} batch ${p.batch}/${p.batches} | ${Math.round(p.imagesPerSec)} img/s | loss ${p.loss.toFixed(4)} acc ${p.accuracy.toFixed(4)}`;
}

/**
 * A reporter writing to `stream` (stderr by default): on a TTY a cli-progress bar per epoch with
 * batches, images/s, ETA, loss and accuracy, replaced by the epoch line when the epoch ends.
 * Without a TTY, the epoch lines and a batch status line at most every `statusEveryMs` (5 s).
 */
export function createProgressReporter(epochs: number, stream: NodeJS.WriteStream = process.stderr, statusEveryMs = 5000): ProgressReporter {
  const tty = Boolean(stream.isTTY);
  let lastStatus = Date.now();
  let bar: cliProgress.SingleBar | null = null;
  const stopBar = () => {
    bar?.stop();
    bar = null;
  };
  return {
    onBatch(p) {
      if (!tty) {
        if (Date.now() - lastStatus < statusEveryMs || p.batch === p.batches) return; // the epoch line follows the last batch
        lastStatus = Date.now();
        return void stream.write(formatBatchLine(p) + '\n');
      }
      const values = { epoch: p.epoch, epochs: p.epochs, ips: Math.round(p.imagesPerSec), loss: p.loss.toFixed(4), acc: p.accuracy.toFixed(4) };
      if (!bar) {
        bar = new cliProgress.SingleBar(
          {
            stream,
            format: 'epoch {epoch}/{epochs} [{bar}] {value}/{total} batches | {ips} img/s | ETA {eta_formatted} | loss {loss} acc {acc}',
            hideCursor: true,
            clearOnComplete: true,
            etaBuffer: 50,
          },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.batches, 0, values);
      }
      bar.update(p.batch, values);
    },
    onEpoch(m) {
      stopBar();
      lastStatus = Date.now();
      stream.write(formatEpochLine(m, epochs) + '\n');
    },
    stop: stopBar,
  };
}
