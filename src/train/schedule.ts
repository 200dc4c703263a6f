import type { EarlyStoppingSpec, LrSchedule } from '../config';
import type { EpochMetrics } from './types';

/**
 * The learning rate for `epoch` (1-based), as a pure function of the schedule and the history of
 * the epochs before it (the loop sets it on the optimizer between epochs).
 * - exponential: base * decayRate^((epoch-1)/decayEpochs)
 * - step: base * factor^floor((epoch-1)/stepEpochs)
 * - plateau: replays the history: whenever val_loss has not improved for `patience` epochs the
 *   rate is multiplied by `factor` (not below minLearningRate) and the wait starts again.
 *
 * @example learningRateForEpoch(0.001, { kind: 'step', stepEpochs: 5, factor: 0.5 }, 6, []) // 0.0005
 */
export function learningRateForEpoch(base: number, schedule: LrSchedule, epoch: number, history: EpochMetrics[]): number {
  switch (schedule.kind) {
    case 'none':
      return base;
    case 'exponential':
      return base * Math.pow(schedule.decayRate, (epoch - 1) / schedule.decayEpochs);
    case 'step':
      return base * Math.pow(schedule.factor, Math.floor((epoch - 1) / schedule.stepEpochs));
    case 'plateau':
      return plateauRate(base, schedule, history.slice(0, Math.max(0, epoch - 1)));
  }
}

function plateauRate(base: number, schedule: Extract<LrSchedule, { kind: 'plateau' }>, history: EpochMetrics[]): number {
  let rate = base;
  let best = Infinity;
  let wait = 0;
  for (const h of history) {
    if (h.valLoss < best) {
      best = h.valLoss;
      wait = 0;
      continue;
    }
    wait += 1;
    if (wait >= schedule.patience) {
      rate = Math.max(rate * schedule.factor, schedule.minLearningRate);
      wait = 0;
    }
  }
  return rate;
}

/** Where training stands for early stopping: the best epoch so far and whether to stop now. */
export interface StoppingState {
  bestEpoch: number; // 1-based; 0 when the history is empty
  shouldStop: boolean;
}

/**
 * Finds the best epoch on the monitored validation metric (an improvement must beat the best by
 * more than minDelta) and says to stop once `patience` epochs have passed without one.
 * With `spec` null it only tracks the best val_accuracy and never stops.
 */
export function stoppingState(history: EpochMetrics[], spec: EarlyStoppingSpec | null): StoppingState {
  const monitor = spec?.monitor ?? 'val_accuracy';
  const minDelta = spec?.minDelta ?? 0;
  const score = (h: EpochMetrics) => (monitor === 'val_loss' ? -h.valLoss : h.valAccuracy);
  let bestEpoch = 0;
  let best = -Infinity;
  history.forEach((h, i) => {
    if (score(h) > best + minDelta || bestEpoch === 0) {
      best = score(h);
      bestEpoch = i + 1;
    }
  });
  const shouldStop = spec !== null && history.length - bestEpoch >= spec.patience;
  return { bestEpoch, shouldStop };
}
