import * as tf from '@tensorflow/tfjs';
import { EarlyStoppingSpec, isEnsembleSpec, RunSpec } from '../config';
import { UserError } from '../errors';
import { buildModel } from '../models';
import type { RunSummary } from '../tracking';
import { weightAverage, WeightAverage } from './ema';
import { BatchStep, fitEpoch, localStep } from './epoch';
import { evaluate } from './metrics';
import type { TrainingData, TrainOptions, TrainResult } from './options';
import { createOptimizer, disposeOptimizer, setLearningRate } from './optimizer';
import { predictProbs } from './predict';
import { Replicas, startReplicas } from './replicas';
import { augmentBatch } from '../data';
import { createRng, resumeRng, type SeededRng } from '../random';
import { learningRateForEpoch, stoppingState } from './schedule';
import { stepInterval, stepRecorder, type StepResult } from './steps';
import type { EpochMetrics, StepMetrics } from './types';
import { disposeCheckpoint, type TrainingCheckpoint } from './checkpoint';

/**
 * Trains one model from its spec and evaluates it on validation and test.
 * Seeded: the same spec (incl. seed) on the same backend gives the same metrics. Early stopping
 * (when on) watches validation and restores the best validation weights; test never steers anything.
 * With `train.ema`, validation, the best-weights snapshot and the returned model use the moving
 * average of the weights, while training itself goes on from the trained ones.
 *
 * @example
 * const result = await trainRun(spec, { train, validation, test }, { onEpoch: (m) => store.logEpochs(id, [m]), signal });
 * if (result.status === 'finished') console.log(result.test!.accuracy);
 */
export async function trainRun(spec: RunSpec, data: TrainingData, options: TrainOptions = {}): Promise<TrainResult> {
  if (isEnsembleSpec(spec.model)) {
    // Callers route ensembles to trainEnsembleAndRecord; reaching here is a bug in the caller, not a user mistake.
    throw new Error('trainRun trains one network; an ensemble spec is trained member by member and combined with combineProbabilities');
  }
  if (data.validation.labels.length === 0) throw new UserError('the validation split is empty; raise data.validationFraction or data.trainLimit');
  const augment = spec.train.augment.enabled ? (options.augment ?? augmentBatch) : null;
  const model = buildModel(spec.model, { seed: spec.seed });
  const optimizer = createOptimizer(spec.train.optimizer);
  let rng: SeededRng = createRng(spec.seed);
  const history: EpochMetrics[] = [];
  let [trainSeconds, trainImages] = [0, 0];
  let bestWeights: tf.Tensor[] | null = null;
  let status: TrainResult['status'] = 'finished';
  let replicas: Replicas | null = null;
  const average: WeightAverage | null = spec.train.ema ? weightAverage(model, spec.train.ema) : null;
  const resume = options.resume && fits(options.resume, model, average, spec.train.epochs) ? options.resume : null;
  try {
    if (resume) {
      // Everything the epochs so far left behind, so the next epoch is the one an uninterrupted run would train.
      model.setWeights(resume.model);
      await optimizer.setWeights(resume.optimizer); // variables made from these share their data, so disposing them below is safe
      if (resume.adam) adamBetaPowers(optimizer)?.forEach((v, i) => v.assign(resume.adam![i]));
      if (average && resume.ema) average.restore(resume.state.emaSteps ?? 0, resume.ema);
      bestWeights = resume.best?.map((t) => t.clone()) ?? null;
      rng = resumeRng(resume.state.rngState);
      history.push(...resume.state.history);
      [trainSeconds, trainImages] = [resume.state.trainSeconds, resume.state.trainImages];
    }
    if (options.resume) disposeCheckpoint(options.resume);
    const count = spec.train.replicas;
    const stepContext = { model, optimizer, train: data.train, spec: spec.train, rng, augment };
    if (count > 1) replicas = await startReplicas({ ...stepContext, count, modelSpec: spec.model });
    const step = averaged(replicas?.step ?? localStep(stepContext), average);
    const batches = Math.ceil(data.train.labels.length / spec.train.batchSize);
    const points: StepMetrics[] = resume ? [...resume.state.points] : [];
    const emit = (m: StepMetrics) => {
      points.push(m);
      options.onStep?.(m);
    };
    const steps = options.onStep ? stepRecorder(stepInterval(spec.train.epochs * batches), emit, resume?.state.steps ?? undefined) : null;
    const onStep = steps ? (result: StepResult, size: number, batch: number, of: number) => steps.add(result, size, epoch, batch, of) : undefined;
    let epoch = (resume?.state.epoch ?? 0) + 1;
    if (resume) options.onResumed?.(epoch);
    for (; epoch <= spec.train.epochs; epoch++) {
      average?.swapOut();
      const epochStarted = performance.now();
      const learningRate = learningRateForEpoch(spec.train.optimizer.learningRate, spec.train.schedule, epoch, history);
      setLearningRate(optimizer, learningRate);
      const fit = await fitEpoch({ train: data.train, spec: spec.train, rng, step, epoch, onBatch: options.onBatch, onStep, signal: options.signal });
      [trainSeconds, trainImages] = [trainSeconds + fit.seconds, trainImages + fit.images];
      if (fit.interrupted) {
        status = 'interrupted';
        break;
      }
      average?.swapIn();
      const val = evaluate(predictProbs(model, data.validation.xs, options.predictBatchSize), data.validation.labels);
      const metrics: EpochMetrics = {
        epoch, loss: fit.loss, accuracy: fit.accuracy, valLoss: val.loss ?? NaN, valAccuracy: val.accuracy,
        learningRate, imagesPerSec: fit.images / Math.max(fit.seconds, 1e-9), seconds: (performance.now() - epochStarted) / 1000,
      };
      history.push(metrics);
      await options.onEpoch?.(metrics);
      const state = stoppingState(history, spec.train.earlyStopping);
      if (spec.train.earlyStopping && state.bestEpoch === epoch) bestWeights = snapshot(model, bestWeights);
      if (state.shouldStop) break;
      if (options.onCheckpoint && epoch < spec.train.epochs) {
        average?.swapOut(); // the trained weights, which the next epoch goes on from
        const moments = await optimizer.getWeights();
        try {
          await options.onCheckpoint({
            state: {
              epoch, rngState: rng.state(), history: [...history], trainSeconds, trainImages,
              steps: steps?.state() ?? null, points: [...points], emaSteps: average?.state().steps ?? null,
            },
            model: model.getWeights(), optimizer: moments, adam: adamBetaPowers(optimizer), best: bestWeights, ema: average?.state().averages ?? null,
          });
        } finally {
          moments.forEach((w) => !(w.tensor instanceof tf.Variable) && w.tensor.dispose()); // getWeights' fresh step-count scalar
        }
      }
    }
    steps?.flush(); // the last, partial stretch (also after an interrupt or early stop)
    average?.swapIn();
    if (bestWeights) model.setWeights(bestWeights);
  } finally {
    average?.dispose();
    await replicas?.close();
    disposeOptimizer(optimizer);
    bestWeights?.forEach((t) => t.dispose());
  }
  const summaryBase = { history, trainSeconds, trainImages };
  if (status === 'interrupted') {
    return { status, model, history, summary: summarize(summaryBase, null, spec.train.earlyStopping), validation: null, test: null, validationProbs: null, testProbs: null };
  }
  const validationProbs = predictProbs(model, data.validation.xs, options.predictBatchSize);
  const testProbs = predictProbs(model, data.test.xs, options.predictBatchSize);
  const validation = evaluate(validationProbs, data.validation.labels);
  const test = evaluate(testProbs, data.test.labels);
  return { status, model, history, summary: summarize(summaryBase, validation, spec.train.earlyStopping), validation, test, validationProbs, testProbs };
}

/**
 * Whether a checkpoint can go on training this spec's model: it stopped before the last epoch, and
 * its tensors have the model's shapes and types (a model built differently since, or a damaged
 * file, makes it useless: the run starts over).
 */
function fits(checkpoint: TrainingCheckpoint, model: tf.LayersModel, average: WeightAverage | null, epochs: number): boolean {
  if (checkpoint.state.epoch >= epochs) return false;
  const same = (a: tf.Tensor[], b: tf.Tensor[]) => a.length === b.length && a.every((t, i) => t.dtype === b[i].dtype && t.shape.join() === b[i].shape.join());
  const weights = model.getWeights();
  if (!same(checkpoint.model, weights)) return false;
  if (checkpoint.best && !same(checkpoint.best, weights)) return false;
  if (average && (checkpoint.ema === null || !same(checkpoint.ema, average.state().averages))) return false;
  // The optimizer's step count first, then moments shaped like the trainable weights.
  const [iter, ...moments] = checkpoint.optimizer;
  const shapes = new Set(model.trainableWeights.map((w) => w.shape.join()));
  if (!iter || iter.name !== 'iter' || iter.tensor.dtype !== 'int32' || iter.tensor.size !== 1) return false;
  if (!moments.every((m) => m.tensor.dtype === 'float32' && shapes.has(m.tensor.shape.join()))) return false;
  return !checkpoint.adam || (checkpoint.adam.length === 2 && checkpoint.adam.every((t) => t.dtype === 'float32' && t.size === 1));
}

/** Adam's running powers of beta1 and beta2 (its private variables), or null for other optimizers. */
function adamBetaPowers(optimizer: tf.Optimizer): tf.Variable[] | null {
  const adam = optimizer as unknown as { accBeta1?: unknown; accBeta2?: unknown };
  return adam.accBeta1 instanceof tf.Variable && adam.accBeta2 instanceof tf.Variable ? [adam.accBeta1, adam.accBeta2] : null;
}

/** The step followed by folding the new weights into the moving average, when there is one. */
function averaged(step: BatchStep, average: WeightAverage | null): BatchStep {
  if (!average) return step;
  return async (idx) => {
    const result = await step(idx);
    average.update();
    return result;
  };
}

/** Copies of the model's current weights (incl. batch-norm statistics), replacing an older copy. */
function snapshot(model: tf.LayersModel, previous: tf.Tensor[] | null): tf.Tensor[] {
  previous?.forEach((t) => t.dispose());
  return model.getWeights().map((w) => w.clone());
}

/**
 * The run summary. "best" is the best validation epoch (on the early-stopping monitor, else
 * val_accuracy); "final" is the validation evaluation of the returned model (after restoring the
 * best weights), or the last epoch's when interrupted.
 */
function summarize(
  run: { history: EpochMetrics[]; trainSeconds: number; trainImages: number },
  finalValidation: { accuracy: number; loss: number | null } | null,
  monitorSpec: EarlyStoppingSpec | null,
): RunSummary {
  const { history } = run;
  const { bestEpoch } = stoppingState(history, monitorSpec);
  const best = history[bestEpoch - 1];
  const last = history[history.length - 1];
  return {
    epochs: history.length,
    bestEpoch,
    bestValAccuracy: best?.valAccuracy ?? 0,
    bestValLoss: best?.valLoss ?? 0,
    finalValAccuracy: finalValidation?.accuracy ?? last?.valAccuracy ?? 0,
    finalValLoss: finalValidation?.loss ?? last?.valLoss ?? 0,
    trainSeconds: run.trainSeconds,
    imagesPerSec: run.trainImages / Math.max(run.trainSeconds, 1e-9),
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
