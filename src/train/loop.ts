import * as tf from '@tensorflow/tfjs';
import { EarlyStoppingSpec, isEnsembleSpec, RunSpec } from '../config';
import { UserError } from '../errors';
import { buildModel } from '../models';
import type { RunSummary } from '../tracking';
import { weightAverage, WeightAverage } from './ema';
import { BatchStep, fitEpoch, localStep, type StepResult } from './epoch';
import { evaluate } from './metrics';
import type { TrainingData, TrainOptions, TrainResult } from './options';
import { createOptimizer, disposeOptimizer, setLearningRate } from './optimizer';
import { predictProbs } from './predict';
import { Replicas, startReplicas } from './replicas';
import { augmentBatch } from '../data';
import { createRng } from '../random';
import { learningRateForEpoch, stoppingState } from './schedule';
import { stepInterval, stepRecorder } from './steps';
import type { EpochMetrics } from './types';

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
  const rng = createRng(spec.seed);
  const history: EpochMetrics[] = [];
  let [trainSeconds, trainImages] = [0, 0];
  let bestWeights: tf.Tensor[] | null = null;
  let status: TrainResult['status'] = 'finished';
  let replicas: Replicas | null = null;
  const average: WeightAverage | null = spec.train.ema ? weightAverage(model, spec.train.ema) : null;
  try {
    const count = spec.train.replicas;
    const stepContext = { model, optimizer, train: data.train, spec: spec.train, rng, augment };
    if (count > 1) replicas = await startReplicas({ ...stepContext, count, modelSpec: spec.model });
    const step = averaged(replicas?.step ?? localStep(stepContext), average);
    const batches = Math.ceil(data.train.labels.length / spec.train.batchSize);
    const steps = options.onStep ? stepRecorder(stepInterval(spec.train.epochs * batches), options.onStep) : null;
    const onStep = steps ? (result: StepResult, size: number, batch: number, of: number) => steps.add(result, size, epoch, batch, of) : undefined;
    let epoch = 1;
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
