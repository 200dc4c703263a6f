/** Training progress for the terminal: a bar per epoch on a TTY, one plain line per epoch otherwise. */
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

/**
 * A reporter writing to `stream` (stderr by default): on a TTY a cli-progress bar per epoch with
 * batches, images/s, ETA, loss and accuracy, replaced by the epoch line when the epoch ends.
 */
export function createProgressReporter(epochs: number, stream: NodeJS.WriteStream = process.stderr): ProgressReporter {
  const tty = Boolean(stream.isTTY);
  let bar: cliProgress.SingleBar | null = null;
  const stopBar = () => {
    bar?.stop();
    bar = null;
  };
  return {
    onBatch(p) {
      if (!tty) return;
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
      stream.write(formatEpochLine(m, epochs) + '\n');
    },
    stop: stopBar,
  };
}
