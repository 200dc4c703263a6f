/**
 * Evaluation metrics computed from class probabilities and true labels, as pure functions.
 * Probabilities are row-major Float32Array [N*10]; labels are 0..9.
 *
 * Conventions: a class that is never predicted has precision 0 (not NaN), a class with no true
 * examples has recall 0, and F1 is 0 when precision + recall is 0. Macro averages are plain means
 * over all 10 classes. Loss is the mean cross-entropy with probabilities clipped to [1e-7, 1].
 */
import type { ClassMetrics, Evaluation } from './types';

export const NUM_CLASSES = 10;
const EPSILON = 1e-7;
/** Equal-width confidence bins of the expected calibration error and the reliability diagram. */
const ECE_BINS = 15;

/** The predicted class of each row (the first maximum on ties). */
export function predictions(probs: Float32Array, classes = NUM_CLASSES): Int32Array {
  return Int32Array.from({ length: probs.length / classes }, (_, r) => topClass(probs, r, classes).digit);
}

/** Counts [true][predicted] over `classes` x `classes` cells. */
export function confusionMatrix(labels: ArrayLike<number>, predicted: ArrayLike<number>, classes = NUM_CLASSES): number[][] {
  const m = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]] += 1;
  return m;
}

/** Mean cross-entropy -log p(true class), with p clipped to at least 1e-7. */
export function crossEntropy(probs: Float32Array, labels: ArrayLike<number>, classes = NUM_CLASSES): number {
  if (labels.length === 0) return 0;
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.max(probs[i * classes + labels[i]], EPSILON));
  return sum / labels.length;
}

/** Accuracy, per-class precision/recall/F1 with support, macro averages, confusion matrix and loss. */
export function evaluate(probs: Float32Array, labels: ArrayLike<number>, classes = NUM_CLASSES): Evaluation {
  if (probs.length !== labels.length * classes) {
    throw new Error(`evaluate: ${probs.length} probabilities do not fit ${labels.length} labels x ${classes} classes`);
  }
  const confusion = confusionMatrix(labels, predictions(probs, classes), classes);
  const perClass = classMetrics(confusion);
  const correct = confusion.reduce((sum, row, c) => sum + row[c], 0);
  const mean = (key: 'precision' | 'recall' | 'f1') => perClass.reduce((s, m) => s + m[key], 0) / classes;
  return {
    count: labels.length,
    accuracy: labels.length === 0 ? 0 : correct / labels.length,
    loss: crossEntropy(probs, labels, classes),
    perClass,
    macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') },
    confusion,
    ece: expectedCalibrationError(probs, labels, ECE_BINS, classes),
  };
}

/** Precision, recall, F1 and support of every class from a [true][predicted] confusion matrix. */
export function classMetrics(confusion: number[][]): ClassMetrics[] {
  return confusion.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, r) => sum + r[c], 0);
    const precision = predicted === 0 ? 0 : tp / predicted;
    const recall = support === 0 ? 0 : tp / support;
    const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
    return { label: c, precision, recall, f1, support };
  });
}

/** One bin of a reliability diagram: answers whose confidence falls in [lo, hi). */
export interface ReliabilityBin {
  lo: number;
  hi: number;
  count: number;
  confidence: number; // mean confidence of the answers in the bin
  accuracy: number; // share of them that are right
}

/** Answers grouped by confidence into `bins` equal-width bins (empty bins included, count 0). */
export function reliabilityBins(probs: Float32Array, labels: ArrayLike<number>, bins = ECE_BINS, classes = NUM_CLASSES): ReliabilityBin[] {
  const out = Array.from({ length: bins }, (_, b) => ({ lo: b / bins, hi: (b + 1) / bins, count: 0, confidence: 0, accuracy: 0 }));
  for (let i = 0; i < labels.length; i++) {
    const { digit, confidence } = topClass(probs, i, classes);
    const bin = out[Math.min(bins - 1, Math.floor(confidence * bins))];
    bin.count++;
    bin.confidence += confidence;
    bin.accuracy += digit === labels[i] ? 1 : 0;
  }
  for (const bin of out) if (bin.count > 0) [bin.confidence, bin.accuracy] = [bin.confidence / bin.count, bin.accuracy / bin.count];
  return out;
}

/** Expected calibration error: the count-weighted mean |accuracy - confidence| over the bins. */
export function expectedCalibrationError(probs: Float32Array, labels: ArrayLike<number>, bins = ECE_BINS, classes = NUM_CLASSES): number {
  if (labels.length === 0) return 0;
  return reliabilityBins(probs, labels, bins, classes).reduce((sum, b) => sum + (b.count * Math.abs(b.accuracy - b.confidence)) / labels.length, 0);
}

/** The most probable class of row `row` and its probability (the first maximum on ties). */
export function topClass(probs: Float32Array, row: number, classes = NUM_CLASSES): { digit: number; confidence: number } {
  let best = 0;
  for (let c = 1; c < classes; c++) if (probs[row * classes + c] > probs[row * classes + best]) best = c;
  return { digit: best, confidence: probs[row * classes + best] };
}
