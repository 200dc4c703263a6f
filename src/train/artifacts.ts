/**
 * A run's artifact folder, runs/<run-id>/:
 *   model/                     TF.js layers model (model.json + weights.bin; see src/models/io)
 *   config.json                the resolved RunSpec, written once when the run starts
 *   history.json               EpochMetrics[]
 *   metrics.json               { status, summary, validation, test } (Evaluations; null when interrupted)
 *   confusion.json             { validation, test }: 10x10 [true][predicted] counts
 *   test-probs.bin             class probabilities, float32 little-endian, row-major [N, 10]
 *   test-probs.json            sidecar: { dtype: 'float32', byteOrder: 'little-endian', shape: [N, 10], labels: number[N] }
 *   validation-probs.bin/.json the same for the validation split (present when the run finished)
 *   members.json               ensembles only: [{ kind: 'spec'|'run'|'trial', runId?, trial?, weight, validationAccuracy }]
 *   members/<i>/model/         ensembles only: the models of members trained inside the ensemble run
 *   calibration.json           temperature fitted on validation, ECE before/after, the unsure threshold (calibrate.ts)
 * Ensembles and error galleries read these back with readRunArtifacts instead of re-running.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { RunSpec } from '../config';
import { UserError } from '../errors';
import { saveModel } from '../models';
import type { RunSummary } from '../tracking';
import { calibrate, UNSURE_RULE, type Calibration } from './calibrate';
import type { TrainResult } from './options';
import type { EpochMetrics, Evaluation } from './types';

/** Stored class probabilities with their true labels. */
export interface StoredProbs {
  probs: Float32Array; // [N*10]
  labels: Uint8Array; // [N]
}

/** Everything a run folder holds except the model (load that with loadModel(modelDir)). */
export interface RunArtifacts {
  dir: string;
  modelDir: string;
  spec: RunSpec;
  status: TrainResult['status'];
  history: EpochMetrics[];
  summary: RunSummary | null;
  validation: Evaluation | null;
  test: Evaluation | null;
  testProbs: StoredProbs | null;
  validationProbs: StoredProbs | null;
  calibration?: Calibration | null; // absent or null: not calibrated
}

/**
 * Writes config.json (the resolved spec) once; writing a different spec into the same folder is a bug.
 * @example writeRunConfig('runs/20260101-abc', spec)
 */
export function writeRunConfig(dir: string, spec: RunSpec): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'config.json');
  const text = JSON.stringify(spec, null, 2) + '\n';
  if (fs.existsSync(file)) {
    if (fs.readFileSync(file, 'utf8') !== text) throw new Error(`${file} already holds a different spec; a run's config is written once`);
    return;
  }
  writeAtomic(file, text);
}

/**
 * Writes a finished (or interrupted) training result: model, history, metrics, confusion matrices
 * and probabilities. `labels` are the true labels of the validation and test splits, in order.
 */
export async function writeRunResults(
  dir: string,
  result: TrainResult,
  labels: { validation: Uint8Array; test: Uint8Array },
): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  await saveModel(result.model, path.join(dir, 'model'));
  writeRunEvaluation(dir, result, labels);
}

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
  commit: (move: () => void) => void,
): Promise<void> {
  const staging = path.join(dir, `.staging-${process.pid}`);
  commit(() => undefined); // a worker that already lost the run writes nothing, not even the staging folder
  try {
    fs.rmSync(staging, { recursive: true, force: true });
    await writeRunResults(staging, result, labels);
    commit(() => {
      for (const name of fs.readdirSync(staging)) {
        const target = path.join(dir, name);
        fs.rmSync(target, { recursive: true, force: true }); // e.g. model/ of an earlier attempt
        fs.renameSync(path.join(staging, name), target);
      }
    });
  } finally {
    fs.rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * Removes what an interrupted write left in a run folder (a killed process, a full disk): staging
 * folders and `.tmp` files, at any depth. The finished files are never touched.
 */
export function cleanRunFolder(dir: string): void {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return; // no folder yet
  }
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.name.startsWith('.staging-') || entry.name.endsWith('.tmp')) fs.rmSync(full, { recursive: true, force: true });
    else if (entry.isDirectory()) cleanRunFolder(full);
  }
}

/** What writeRunEvaluation stores: a training result without its model (ensembles have none). */
export type RunEvaluation = Omit<TrainResult, 'model'>;

/**
 * Writes history, metrics, confusion matrices and probabilities (everything but the model);
 * ensemble runs, which combine members instead of training one model, write only this.
 */
export function writeRunEvaluation(dir: string, result: RunEvaluation, labels: { validation: Uint8Array; test: Uint8Array }): void {
  fs.mkdirSync(dir, { recursive: true });
  writeJson(path.join(dir, 'history.json'), result.history);
  writeJson(path.join(dir, 'metrics.json'), { status: result.status, summary: result.summary, validation: result.validation, test: result.test });
  if (result.validation && result.test) {
    writeJson(path.join(dir, 'confusion.json'), { validation: result.validation.confusion, test: result.test.confusion });
  }
  if (result.testProbs) writeProbs(dir, 'test', { probs: result.testProbs, labels: labels.test });
  if (result.validationProbs) writeProbs(dir, 'validation', { probs: result.validationProbs, labels: labels.validation });
  if (result.status === 'finished' && result.validationProbs && labels.validation.length > 0) {
    const test = result.testProbs ? { probs: result.testProbs, labels: labels.test } : null;
    writeRunCalibration(dir, calibrate({ probs: result.validationProbs, labels: labels.validation }, test));
  }
}

/** Writes calibration.json (from calibrate(); `digits calibrate` re-fits an existing run). */
export function writeRunCalibration(dir: string, calibration: Calibration): void {
  writeJson(path.join(dir, 'calibration.json'), { ...calibration, rule: UNSURE_RULE });
}

/** A run's calibration.json, or null when it has none (runs from before calibration existed). */
export function readRunCalibration(dir: string): Calibration | null {
  const file = path.join(dir, 'calibration.json');
  if (!fs.existsSync(file)) return null;
  const cal = readJson<Calibration>(file);
  if (!(cal.temperature > 0) || !(cal.unsureBelow >= 0 && cal.unsureBelow <= 1)) {
    throw new UserError(`${file}: temperature ${JSON.stringify(cal.temperature)} or unsureBelow ${JSON.stringify(cal.unsureBelow)} is not valid; re-fit it with \`digits calibrate ${path.basename(dir)}\``);
  }
  return cal;
}

/**
 * Reads a run folder written by writeRunConfig + writeRunResults.
 * @example const { testProbs, test } = readRunArtifacts('runs/20260101-abc');
 * @throws UserError when the folder or one of its required files is missing or damaged.
 */
export function readRunArtifacts(dir: string): RunArtifacts {
  if (!fs.existsSync(path.join(dir, 'config.json'))) {
    throw new UserError(`${dir}: not a run folder (config.json is missing); name a folder under runs/ or a run id`);
  }
  const spec = readJson<RunSpec>(path.join(dir, 'config.json'));
  const history = fs.existsSync(path.join(dir, 'history.json')) ? readJson<EpochMetrics[]>(path.join(dir, 'history.json')) : [];
  const metricsFile = path.join(dir, 'metrics.json');
  const metrics = fs.existsSync(metricsFile)
    ? readJson<{ status: TrainResult['status']; summary: RunSummary; validation: Evaluation | null; test: Evaluation | null }>(metricsFile)
    : null;
  return {
    dir,
    modelDir: path.join(dir, 'model'),
    spec,
    status: metrics?.status ?? 'interrupted',
    history,
    summary: metrics?.summary ?? null,
    validation: metrics?.validation ?? null,
    test: metrics?.test ?? null,
    testProbs: readProbs(dir, 'test'),
    validationProbs: readProbs(dir, 'validation'),
    calibration: readRunCalibration(dir),
  };
}

function writeProbs(dir: string, split: 'test' | 'validation', stored: StoredProbs): void {
  const rows = stored.labels.length;
  if (stored.probs.length !== rows * 10) throw new Error(`${split} probabilities: ${stored.probs.length} values for ${rows} labels`);
  const bytes = Buffer.alloc(stored.probs.length * 4);
  for (let i = 0; i < stored.probs.length; i++) bytes.writeFloatLE(stored.probs[i], i * 4);
  writeAtomic(path.join(dir, `${split}-probs.bin`), bytes);
  writeJson(path.join(dir, `${split}-probs.json`), { dtype: 'float32', byteOrder: 'little-endian', shape: [rows, 10], labels: Array.from(stored.labels) });
}

function readProbs(dir: string, split: 'test' | 'validation'): StoredProbs | null {
  const bin = path.join(dir, `${split}-probs.bin`);
  const sidecar = path.join(dir, `${split}-probs.json`);
  if (!fs.existsSync(bin) || !fs.existsSync(sidecar)) return null;
  const meta = readJson<{ dtype: string; shape: [number, number]; labels: number[] }>(sidecar);
  const bytes = fs.readFileSync(bin);
  const [rows, cols] = meta.shape;
  if (meta.dtype !== 'float32' || cols !== 10 || bytes.length !== rows * cols * 4 || meta.labels.length !== rows) {
    throw new UserError(`${bin}: expected ${rows}x${cols} float32 values (${rows * cols * 4} bytes) as ${sidecar} says, found ${bytes.length} bytes; the run folder is damaged, re-run it`);
  }
  const probs = new Float32Array(rows * cols);
  for (let i = 0; i < probs.length; i++) probs[i] = bytes.readFloatLE(i * 4);
  return { probs, labels: Uint8Array.from(meta.labels) };
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch (err) {
    throw new UserError(`${file}: cannot be read as JSON (${(err as Error).message}); the run folder is damaged, re-run it`);
  }
}

function writeJson(file: string, value: unknown): void {
  writeAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/** Writes `file` whole or not at all: a failed write (a full disk) leaves neither a partial file nor its .tmp. */
function writeAtomic(file: string, data: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
