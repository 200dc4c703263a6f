/**
 * Writing a trained model's results into its run folder. The folder's layout and files belong to
 * src/tracking/run-folder.ts; this adds what needs training code: the model (TF.js, models/io) and
 * the calibration fitted on validation (calibrate.ts), and the training checkpoint (checkpoint.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import { saveModel } from '../models';
import {
  checkpointFolder, readRunCalibration as readFolderCalibration, runFolderModelDir, stagingFolder, writeRunCalibration as writeFolderCalibration,
  writeRunEvaluation as writeFolderEvaluation, type RunEvaluation, type RunResult,
} from '../tracking';
import { calibrate, UNSURE_RULE, type Calibration } from './calibrate';
import type { TrainResult } from './options';
import { readCheckpoint, writeCheckpoint, type TrainingCheckpoint } from './checkpoint';

/**
 * Writes a finished (or interrupted) training result: the model, then history, metrics,
 * probabilities and calibration. `labels` are the true labels of the validation and test splits, in order.
 */
export async function writeRunResults(
  dir: string,
  result: TrainResult,
  labels: { validation: Uint8Array; test: Uint8Array },
): Promise<Calibration | null> {
  await saveModel(result.model, runFolderModelDir(dir));
  return writeRunEvaluation(dir, result, labels);
}

/** Runs `move` inside the transaction that checks this attempt still holds the run (the store's underLease). */
export type LeaseCommit = (move: () => void) => void;

/**
 * writeRunResults under a lease: the files are written into a staging folder inside the run folder,
 * then `commit` moves them into place. The runner's commit is the store's underLease, so the move
 * happens inside the database transaction that checks this attempt still holds the run: a worker
 * that lost its run never overwrites the survivor's files. The staging folder is removed whatever happens.
 */
export async function writeRunResultsFenced(
  dir: string,
  result: TrainResult,
  labels: { validation: Uint8Array; test: Uint8Array },
  commit: LeaseCommit,
): Promise<Calibration | null> {
  return staged(stagingFolder(dir), commit, (staging) => writeRunResults(staging, result, labels), (staging) => {
    for (const name of fs.readdirSync(staging)) {
      const target = path.join(dir, name);
      fs.rmSync(target, { recursive: true, force: true }); // e.g. model/ of an earlier attempt
      fs.renameSync(path.join(staging, name), target);
    }
  });
}

/** Replaces the run's checkpoint (checkpointFolder) with `checkpoint`, under the lease as writeRunResultsFenced. */
export async function writeCheckpointFenced(dir: string, checkpoint: TrainingCheckpoint, trialHash: string, commit: LeaseCommit): Promise<void> {
  await staged(stagingFolder(dir, 'checkpoint'), commit, (staging) => writeCheckpoint(staging, checkpoint, trialHash), (staging) => {
    fs.rmSync(checkpointFolder(dir), { recursive: true, force: true });
    fs.renameSync(staging, checkpointFolder(dir));
  });
}

/** The run's checkpoint, or null (see readCheckpoint). */
export function readRunCheckpoint(dir: string, trialHash: string): TrainingCheckpoint | null {
  return readCheckpoint(checkpointFolder(dir), trialHash);
}

/** Removes the run's checkpoint (the run finished: its model is saved), under the lease. */
export function removeCheckpointFenced(dir: string, commit: LeaseCommit): void {
  commit(() => fs.rmSync(checkpointFolder(dir), { recursive: true, force: true }));
}

/** Writes into `staging`, then has `commit` run `place`; a worker that already lost the run writes nothing. Returns what `write` returned. */
async function staged<T>(staging: string, commit: LeaseCommit, write: (staging: string) => T | Promise<T>, place: (staging: string) => void): Promise<T> {
  commit(() => undefined); // a worker that already lost the run writes nothing, not even the staging folder
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    const written = await write(staging);
    commit(() => place(staging));
    return written;
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * The run folder's writeRunEvaluation (history, metrics, probabilities), then, for a finished run
 * with validation probabilities, calibration.json fitted on them. Ensemble runs write only this.
 */
export function writeRunEvaluation(dir: string, result: RunEvaluation, labels: { validation: Uint8Array; test: Uint8Array }): Calibration | null {
  writeFolderEvaluation(dir, result, labels);
  if (result.status !== 'finished' || !result.validationProbs || labels.validation.length === 0) return null;
  const test = result.testProbs ? { probs: result.testProbs, labels: labels.test } : null;
  const calibration = calibrate({ probs: result.validationProbs, labels: labels.validation }, test);
  writeRunCalibration(dir, calibration);
  return calibration;
}

/** What the runs row keeps of a calibration (the store's RunResult.calibration). */
export function calibrationRecord(calibration: Calibration | null): RunResult['calibration'] {
  return calibration && { temperature: calibration.temperature, testEce: calibration.ece.test?.after ?? null };
}

/** Writes calibration.json (from calibrate(); `digits calibrate` re-fits an existing run). */
export function writeRunCalibration(dir: string, calibration: Calibration): void {
  writeFolderCalibration(dir, calibration, UNSURE_RULE);
}

/** A run's calibration.json, or null when it has none (runs from before calibration existed). */
export function readRunCalibration(dir: string): Calibration | null {
  return readFolderCalibration<Calibration>(dir);
}
