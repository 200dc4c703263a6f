/**
 * Calibrated confidence: temperature scaling (Guo et al., 2017) fitted on a run's validation
 * probabilities, the expected calibration error (ECE) before and after, the reliability bins for the
 * report, and the confidence below which an answer is "unsure". Pure functions over row-major
 * Float32Array [N*10] probabilities; no I/O (the run folder's calibration.json is written by
 * artifacts.ts).
 *
 * Models store probabilities, not logits; log p is the logit up to a per-row constant, which
 * softmax ignores, so softmax(log p / T) = p^(1/T) / sum(p^(1/T)) is exact temperature scaling.
 */
import { expectedCalibrationError, NUM_CLASSES, topClass } from './metrics';

/** What calibration.json holds. */
export interface Calibration {
  method: 'temperature';
  /** Divides the log-probabilities: > 1 softens over-confident models, < 1 sharpens timid ones. */
  temperature: number;
  /** Answers with calibrated confidence below this are reported as unsure (see UNSURE_RULE). */
  unsureBelow: number;
  /** ECE over 15 equal-width confidence bins, before and after scaling; test is null without test probabilities. */
  ece: { validation: { before: number; after: number }; test: { before: number; after: number } | null };
  /** Negative log-likelihood on validation, before and after. */
  validationLoss: { before: number; after: number };
  /** Share of test (else validation) answers that would be unsure, and their accuracy when answered. */
  unsure: { split: 'test' | 'validation'; share: number; answeredAccuracy: number };
  /** Validation images the fit used. */
  count: number;
}

/** The documented rule, kept with the numbers. */
export const UNSURE_RULE =
  'unsure when the calibrated confidence is below the lowest threshold t (0.50, 0.51, ..., 0.99) at which the validation answers with confidence >= t are right at least 99.5% of the time (0.99 if none)';

/** Target accuracy of the answers given (not unsure) on validation. */
export const UNSURE_TARGET = 0.995;
const EPS = 1e-12;

/** Probabilities rescaled by a temperature: p^(1/T), renormalised per row. T = 1 returns a copy. */
export function applyTemperature(probs: Float32Array, temperature: number, classes = NUM_CLASSES): Float32Array {
  const out = new Float32Array(probs.length);
  const inv = 1 / temperature;
  for (let r = 0; r < probs.length / classes; r++) {
    let max = -Infinity;
    for (let c = 0; c < classes; c++) max = Math.max(max, Math.log(Math.max(probs[r * classes + c], EPS)) * inv);
    let sum = 0;
    for (let c = 0; c < classes; c++) {
      const e = Math.exp(Math.log(Math.max(probs[r * classes + c], EPS)) * inv - max);
      out[r * classes + c] = e;
      sum += e;
    }
    for (let c = 0; c < classes; c++) out[r * classes + c] /= sum;
  }
  return out;
}

/** Mean negative log-likelihood of the true classes. */
export function negativeLogLikelihood(probs: Float32Array, labels: ArrayLike<number>, classes = NUM_CLASSES): number {
  let sum = 0;
  for (let i = 0; i < labels.length; i++) sum -= Math.log(Math.max(probs[i * classes + labels[i]], EPS));
  return labels.length === 0 ? 0 : sum / labels.length;
}

/**
 * The temperature that minimises validation NLL, by golden-section search over log T in
 * [ln 0.05, ln 20] (NLL is unimodal in T for a fixed set of probabilities).
 */
export function fitTemperature(probs: Float32Array, labels: ArrayLike<number>, classes = NUM_CLASSES): number {
  if (labels.length === 0) return 1;
  const loss = (logT: number) => negativeLogLikelihood(applyTemperature(probs, Math.exp(logT), classes), labels, classes);
  let lo = Math.log(0.05), hi = Math.log(20);
  const g = (Math.sqrt(5) - 1) / 2;
  let a = hi - g * (hi - lo), b = lo + g * (hi - lo);
  let fa = loss(a), fb = loss(b);
  for (let i = 0; i < 40; i++) {
    if (fa < fb) {
      hi = b; b = a; fb = fa; a = hi - g * (hi - lo); fa = loss(a);
    } else {
      lo = a; a = b; fa = fb; b = lo + g * (hi - lo); fb = loss(b);
    }
  }
  return Math.round(Math.exp((lo + hi) / 2) * 1e4) / 1e4;
}

/** The unsure threshold by UNSURE_RULE, from calibrated validation probabilities. */
export function chooseUnsureThreshold(probs: Float32Array, labels: ArrayLike<number>, classes = NUM_CLASSES): number {
  const answers = Array.from({ length: labels.length }, (_, i) => topClass(probs, i, classes)).map((t, i) => ({ confidence: t.confidence, right: t.digit === labels[i] }));
  for (let step = 50; step <= 99; step++) {
    const t = step / 100;
    const kept = answers.filter((a) => a.confidence >= t);
    if (kept.length > 0 && kept.filter((a) => a.right).length / kept.length >= UNSURE_TARGET) return t;
  }
  return 0.99;
}

/**
 * Fits the temperature on validation and measures it: ECE before/after on validation and test,
 * the unsure threshold, and what share of test answers it flags.
 * @example const cal = calibrate(artifacts.validationProbs!, artifacts.testProbs);
 */
export function calibrate(validation: { probs: Float32Array; labels: ArrayLike<number> }, test: { probs: Float32Array; labels: ArrayLike<number> } | null): Calibration {
  const temperature = fitTemperature(validation.probs, validation.labels);
  const calibratedValidation = applyTemperature(validation.probs, temperature);
  const unsureBelow = chooseUnsureThreshold(calibratedValidation, validation.labels);
  const calibratedTest = test ? applyTemperature(test.probs, temperature) : null;
  const judged = test && calibratedTest ? { split: 'test' as const, probs: calibratedTest, labels: test.labels } : { split: 'validation' as const, probs: calibratedValidation, labels: validation.labels };
  let unsure = 0, answered = 0, right = 0;
  for (let i = 0; i < judged.labels.length; i++) {
    const { digit, confidence } = topClass(judged.probs, i);
    if (confidence < unsureBelow) unsure++;
    else {
      answered++;
      if (digit === judged.labels[i]) right++;
    }
  }
  return {
    method: 'temperature',
    temperature,
    unsureBelow,
    ece: {
      validation: { before: expectedCalibrationError(validation.probs, validation.labels), after: expectedCalibrationError(calibratedValidation, validation.labels) },
      test: test && calibratedTest ? { before: expectedCalibrationError(test.probs, test.labels), after: expectedCalibrationError(calibratedTest, test.labels) } : null,
    },
    validationLoss: { before: negativeLogLikelihood(validation.probs, validation.labels), after: negativeLogLikelihood(calibratedValidation, validation.labels) },
    unsure: { split: judged.split, share: judged.labels.length ? unsure / judged.labels.length : 0, answeredAccuracy: answered ? right / answered : 0 },
    count: validation.labels.length,
  };
}
