/**
 * Per-step training metrics with a bounded number of points per run: the interval k grows with the
 * run's length, so a 1-epoch run and a 100-epoch run both give at most MAX_STEP_POINTS points.
 */
import type { StepMetrics } from './types';

/** The loss and the number classified right of one optimizer step. */
export interface StepResult {
  loss: number;
  correct: number;
}

/** Points per run at most (plus the last, partial stretch): enough for a smooth curve, small to store and draw. */
export const MAX_STEP_POINTS = 250;

/**
 * Steps between two logged points: the smallest k that keeps `totalSteps / k` within `maxPoints`.
 * @example stepInterval(141 * 2) // 2: a 2-epoch run of 141 batches logs 141 points
 */
export function stepInterval(totalSteps: number, maxPoints = MAX_STEP_POINTS): number {
  if (!(maxPoints >= 1)) throw new Error(`stepInterval: maxPoints must be at least 1, got ${maxPoints}`);
  return Math.max(1, Math.ceil(totalSteps / maxPoints));
}

/** Folds every optimizer step into stretches of `interval` steps and emits each stretch's means. */
export interface StepRecorder {
  /** One step of `size` images in epoch `epoch` (1-based), batch `batch` of `batches` (1-based). */
  add(result: StepResult, size: number, epoch: number, batch: number, batches: number): void;
  /** Emits the last, partial stretch (end of training or an interrupt). */
  flush(): void;
  /** Where it stands (steps so far and the stretch not yet emitted), for a checkpoint. */
  state(): StepRecorderState;
}

/** A step recorder's position: resuming from it emits exactly the points an uninterrupted run would. */
export interface StepRecorderState {
  step: number;
  lossSum: number;
  correct: number;
  images: number;
  pending: number;
  position: number;
}

/**
 * A recorder calling `emit` every `interval` steps with the image-weighted mean loss and accuracy
 * of those steps; `epoch` in the output is fractional (steps done / steps per epoch).
 * @example const steps = stepRecorder(stepInterval(epochs * batches), (m) => buffer.push(m));
 */
export function stepRecorder(interval: number, emit: (metrics: StepMetrics) => void, from?: StepRecorderState): StepRecorder {
  let { step, lossSum, correct, images, pending, position } = from ?? { step: 0, lossSum: 0, correct: 0, images: 0, pending: 0, position: 0 };
  const out = () => {
    if (pending === 0 || images === 0) return;
    emit({ step, epoch: Number(position.toFixed(4)), loss: lossSum / images, accuracy: correct / images });
    [lossSum, correct, images, pending] = [0, 0, 0, 0];
  };
  return {
    add(result, size, epoch, batch, batches) {
      step += 1;
      pending += 1;
      lossSum += result.loss * size;
      correct += result.correct;
      images += size;
      position = epoch - 1 + batch / batches;
      if (pending >= interval) out();
    },
    flush: out,
    state: () => ({ step, lossSum, correct, images, pending, position }),
  };
}
