/** Evaluation results and epoch records: plain numbers that training computes (src/train/metrics) and the store keeps. */

export interface ClassMetrics {
  label: number; // 0..9
  precision: number;
  recall: number;
  f1: number;
  support: number; // true examples of this class
}

export interface Evaluation {
  count: number;
  accuracy: number;
  loss: number | null;
  perClass: ClassMetrics[]; // 10 entries, label order
  macro: { precision: number; recall: number; f1: number };
  confusion: number[][]; // [true][predicted], 10 x 10
  /** Expected calibration error of these probabilities (15 equal-width bins); absent in runs recorded before it was kept. */
  ece?: number;
}

/** One epoch's record, as the training callback logs it. */
export interface EpochMetrics {
  epoch: number; // 1-based
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  learningRate: number;
  imagesPerSec: number;
  seconds: number;
}

/**
 * Training metrics of a stretch of steps (train/steps.ts): the mean loss and accuracy of the last
 * `interval` mini-batches, logged every `interval` steps.
 */
export interface StepMetrics {
  step: number; // 1-based optimizer step over the whole run, the last of the stretch
  epoch: number; // fractional position in epochs: 0.5 = halfway through the first epoch
  loss: number;
  accuracy: number;
}
