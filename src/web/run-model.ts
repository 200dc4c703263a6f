/**
 * What predicts for a run: its one network, or for an ensemble run every member's network combined
 * the way the ensemble was (members.json's weights, config.json's `combine`, read by tracking's readRunEnsemble); then the run's
 * temperature (calibration.json) applied to the probabilities.
 */
import fs from 'node:fs';
import path from 'node:path';
import { combineProbabilities, loadModel } from '../models';
import { memberModelDir, readRunEnsemble, type RunMember } from '../tracking';
import { applyTemperature, readRunCalibration, type Calibration } from '../train';
import { PredictionBatcher } from './batcher';
import { RunCatalog, RunLookupError } from './runs';
import type * as tf from '@tensorflow/tfjs';

/** A loaded run: class probabilities of one digit, calibrated when the run has a calibration. */
export interface RunModel {
  predict(pixels: Float32Array): Promise<Float32Array>;
  calibration: Calibration | null;
  /** Runs what is queued, then frees the networks. */
  dispose(): void;
}

/** What loading needs of a members.json entry. */
type MemberEntry = Pick<RunMember, 'kind' | 'runId' | 'weight'>;

/**
 * Loads the run whose model folder the catalog gives for `runId`: model/ for a network, members for
 * an ensemble (members trained inside it under members/<i>/model, the others from their own runs).
 * @throws RunLookupError('no-model') when a model is missing or is not a digit classifier
 */
export async function loadRunModel(catalog: RunCatalog, runId: string, maxBatch?: number): Promise<RunModel> {
  const modelDir = catalog.modelDir(runId);
  const runDir = path.dirname(modelDir);
  const calibration = readRunCalibration(runDir);
  const temper = (p: Float32Array) => (calibration && calibration.temperature !== 1 ? applyTemperature(p, calibration.temperature) : p);
  if (fs.existsSync(path.join(modelDir, 'model.json'))) {
    const batcher = await loadBatcher(modelDir, runId, maxBatch);
    return { predict: async (pixels) => temper(await batcher.predict(pixels)), calibration, dispose: () => batcher.dispose() };
  }
  const { members: entries, combine: method } = readRunEnsemble(runDir, runId);
  const batchers: PredictionBatcher[] = [];
  try {
    for (const [i, m] of entries.entries()) {
      const dir = m.kind === 'spec' ? memberModelDir(runDir, i) : memberRunModelDir(catalog, runId, m, i);
      batchers.push(await loadBatcher(dir, `${runId} member ${i}`, maxBatch));
    }
  } catch (err) {
    batchers.forEach((b) => b.dispose());
    throw err;
  }
  const weights = entries.map((m) => m.weight);
  return {
    predict: async (pixels) => temper(combineProbabilities(await Promise.all(batchers.map((b) => b.predict(pixels))), method, weights)),
    calibration,
    dispose: () => batchers.forEach((b) => b.dispose()),
  };
}

async function loadBatcher(dir: string, label: string, maxBatch?: number): Promise<PredictionBatcher> {
  const model: tf.LayersModel = await loadModel(dir);
  const inShape = model.inputs[0].shape.slice(1);
  const outShape = model.outputs[0].shape.slice(1);
  if (inShape.reduce<number>((a, d) => a * (d ?? 1), 1) !== 784 || outShape.join() !== '10') {
    model.dispose();
    throw new RunLookupError(
      'no-model',
      `run "${label}": its model takes [${inShape.join(', ')}] and gives [${outShape.join(', ')}], not a 28x28 digit -> 10 classes model; pick a digit classifier run`,
    );
  }
  return new PredictionBatcher(model, maxBatch);
}

function memberRunModelDir(catalog: RunCatalog, runId: string, m: MemberEntry, index: number): string {
  if (!m.runId) throw new RunLookupError('no-model', `run "${runId}": member ${index} names no run; the ensemble run is damaged, re-run it`);
  const dir = catalog.modelDir(m.runId);
  if (!fs.existsSync(path.join(dir, 'model.json'))) {
    throw new RunLookupError('no-model', `run "${runId}": member ${index} is run ${m.runId}, whose model is gone (${dir}); restore that run or re-run the ensemble`);
  }
  return dir;
}
