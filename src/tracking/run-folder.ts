/**
 * The one owner of a run folder, `<runs folder>/<run id>/`, with two helpers of this module:
 * owner.ts reads and writes tracking.json, and run-folder-scan.ts lists and peeks at folders.
 * Nothing outside these three builds these paths or reads and writes these files:
 *   config.json                the resolved RunSpec, written once when the run starts
 *   tracking.json              which database owns the folder: { runId, database } (path relative to the folder; owner.ts)
 *   model/                     TF.js layers model (written by train with models/io into runFolderModelDir)
 *   history.json               EpochMetrics[]
 *   metrics.json               { status, summary, validation, test } (Evaluations; null when interrupted)
 *   test-probs.bin             class probabilities, float32 little-endian, row-major [N, 10]
 *   test-probs.json            sidecar: { dtype: 'float32', byteOrder: 'little-endian', shape: [N, 10], labels: number[N] }
 *   validation-probs.bin/.json the same for the validation split (present when the run finished)
 *   members.json               ensembles only: [{ kind, label, runId, weight, validationAccuracy }]
 *   members/<i>/model/         ensembles only: the models of members trained inside the ensemble run
 *   calibration.json           temperature fitted on validation, ECE before/after, the unsure threshold (train/calibrate.ts)
 *   checkpoint/                while a run has not finished: the training state after its last finished epoch
 *                              (checkpoint.json and tensors.bin, written and read by train/checkpoint.ts); a resumed
 *                              run goes on from it, and it is removed when the run finishes
 * Folders written before tracking.json existed (and their confusion.json, now inside metrics.json) still read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeFolders, writeFileAtomic } from '../files';
import type { EnsembleSpec, RunSpec } from '../config';
import { fileProblem, UserError } from '../errors';
import { RunLookupError } from './lookup-error';
import type { EpochMetrics, Evaluation } from './records';
import type { RunSummary } from './types';

/** The folder that holds run folders: --runs-dir, else $DIGITS_RUNS_DIR, else runs/ of the project. */
export const RUNS_DIR_ENV = 'DIGITS_RUNS_DIR';

/** The digit-lab project folder (this file is <root>/src/tracking or <root>/dist/tracking). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

/**
 * The runs folder: `flag` if given, else env DIGITS_RUNS_DIR, else runs/ in the project folder. It does not
 * follow the database: a database anywhere (--db, DIGITS_DB) keeps its run folders in the runs folder.
 * @example runsDirFor(args.runsDir) // '/home/me/digit-lab/runs'
 */
export function runsDirFor(flag?: string, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag || env[RUNS_DIR_ENV];
  return chosen ? path.resolve(chosen) : path.join(PROJECT_ROOT, 'runs');
}

/** A run id usable as a folder name: letters, digits, '.', '_', '-', not starting with '.', at most 128 characters. */
export const RUN_FOLDER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * The folder of run `id` inside `runsDir`; the id is checked so that the folder is always inside it.
 * @throws RunLookupError('bad-id') for anything else, such as "../../etc"
 */
export function runFolderPath(runsDir: string, id: string): string {
  if (!RUN_FOLDER_NAME.test(id)) {
    throw new RunLookupError('bad-id', `run id ${quoteShort(id)} is not valid; ids use letters, digits, ".", "_" and "-" (not starting with "."); list runs with \`digits runs\``);
  }
  const root = path.resolve(runsDir);
  const dir = path.resolve(root, id);
  if (path.dirname(dir) !== root) throw new RunLookupError('bad-id', `run id ${quoteShort(id)} points outside the runs folder ${root}`);
  return dir;
}

/** A user string in a message: JSON-quoted and cut at 80 characters. */
export function quoteShort(text: string): string {
  return JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}...` : text);
}

/** Where the TF.js model of a run folder goes (model.json + weights.bin). */
export function runFolderModelDir(dir: string): string {
  return path.join(dir, 'model');
}

/** Where the model of an ensemble's i-th inline member goes. */
export function memberModelDir(dir: string, index: number): string {
  return path.join(dir, 'members', String(index), 'model');
}

/** One member of an ensemble run, as members.json records it. */
export interface RunMember {
  kind: 'spec' | 'run' | 'trial';
  label: string;
  runId: string | null;
  weight: number;
  validationAccuracy: number;
}

/** Writes members.json of an ensemble run. */
export function writeRunMembers(dir: string, members: RunMember[]): void {
  makeFolder(dir);
  writeJson(path.join(dir, 'members.json'), members);
}

/** What predicting with an ensemble run needs: its members (members.json) and how it combined them (config.json). */
export interface RunEnsemble {
  members: RunMember[];
  combine: EnsembleSpec['combine'];
}

/**
 * members.json and config.json's `combine` of an ensemble run folder.
 * @throws RunLookupError('no-model') when either is missing or damaged (the run must be re-run)
 */
export function readRunEnsemble(dir: string, runId: string): RunEnsemble {
  const damaged = (what: string) => new RunLookupError('no-model', `run "${runId}": ${what}; the ensemble run is damaged, re-run it`);
  const read = (name: string): unknown => {
    try {
      return JSON.parse(fs.readFileSync(path.join(dir, name), 'utf8'));
    } catch (err) {
      throw damaged(`${path.join(dir, name)} cannot be read (${(err as Error).message})`);
    }
  };
  const members = read('members.json') as RunMember[];
  if (!Array.isArray(members) || members.length === 0 || members.some((m) => !m || !['spec', 'run', 'trial'].includes(m.kind) || !(m.weight >= 0))) {
    throw damaged(`${path.join(dir, 'members.json')} does not list members as {kind, runId, weight}`);
  }
  const combine = (read('config.json') as { model?: { combine?: unknown } } | null)?.model?.combine;
  if (combine !== 'average' && combine !== 'vote' && combine !== 'weighted') {
    throw damaged(`${path.join(dir, 'config.json')} names no combine rule (average, vote or weighted) for its members`);
  }
  return { members, combine };
}

/** What calibration.json must hold to be used (train/calibrate's Calibration holds these and more). */
export interface StoredCalibration {
  temperature: number;
  unsureBelow: number;
}

/** Writes calibration.json: the calibration and the rule its threshold follows. */
export function writeRunCalibration(dir: string, calibration: StoredCalibration, rule: string): void {
  makeFolder(dir);
  writeJson(path.join(dir, 'calibration.json'), { ...calibration, rule });
}

/** A run's calibration.json, or null when it has none (runs from before calibration existed). */
export function readRunCalibration<T extends StoredCalibration>(dir: string): T | null {
  const file = path.join(dir, 'calibration.json');
  if (!fs.existsSync(file)) return null;
  const cal = readJson<T>(file);
  const problems = [
    ...(cal.temperature > 0 ? [] : [`temperature ${JSON.stringify(cal.temperature ?? null)} is not above 0`]),
    ...(cal.unsureBelow >= 0 && cal.unsureBelow <= 1 ? [] : [`unsureBelow ${JSON.stringify(cal.unsureBelow ?? null)} is not from 0 to 1`]),
  ];
  if (problems.length) throw new UserError(`${file}: ${problems.join(' and ')}; re-fit it with \`digits calibrate ${path.basename(dir)}\``);
  return cal;
}

/**
 * Whether a run folder can predict: a single network has model/model.json; an ensemble run has
 * members.json (its members' models are loaded; see web/run-model.ts).
 */
export function canPredict(dir: string): boolean {
  return hasSavedModel(dir) || fs.existsSync(path.join(dir, 'members.json'));
}

/** True when the folder holds a saved model. */
export function hasSavedModel(dir: string): boolean {
  return fs.existsSync(path.join(runFolderModelDir(dir), 'model.json'));
}

/** Stored class probabilities with their true labels. */
export interface StoredProbs {
  probs: Float32Array; // [N*10]
  labels: Uint8Array; // [N]
}

/** The status a run folder records: how its training ended. */
export type RunFolderStatus = 'finished' | 'interrupted';

/** What metrics.json holds. */
export interface RunFolderMetrics {
  status: RunFolderStatus;
  summary: RunSummary | null;
  validation: Evaluation | null;
  test: Evaluation | null;
}

/** What writeRunEvaluation stores: a training result without its model (ensembles have none). */
export interface RunEvaluation extends RunFolderMetrics {
  history: EpochMetrics[];
  testProbs: Float32Array | null;
  validationProbs: Float32Array | null;
}

/** Everything a run folder holds except the model (load that with loadModel(modelDir)). */
export interface RunArtifacts extends RunFolderMetrics {
  dir: string;
  modelDir: string;
  spec: RunSpec;
  history: EpochMetrics[];
  testProbs: StoredProbs | null;
  validationProbs: StoredProbs | null;
  calibration?: StoredCalibration | null; // absent or null: not calibrated
}

/**
 * Writes config.json (the resolved spec) once; writing a different spec into the same folder is a bug.
 * @example writeRunConfig(runFolderPath(runsDir, id), spec)
 */
export function writeRunConfig(dir: string, spec: RunSpec): void {
  makeFolder(dir);
  const file = path.join(dir, 'config.json');
  const text = JSON.stringify(spec, null, 2) + '\n';
  if (fs.existsSync(file)) {
    if (fs.readFileSync(file, 'utf8') !== text) throw new Error(`${file} already holds a different spec; a run's config is written once`);
    return;
  }
  writeAtomic(file, text);
}

/**
 * Writes history, metrics and probabilities (everything but the model). `labels` are the true
 * labels of the validation and test splits, in order.
 */
export function writeRunEvaluation(dir: string, result: RunEvaluation, labels: { validation: Uint8Array; test: Uint8Array }): void {
  makeFolder(dir);
  writeJson(path.join(dir, 'history.json'), result.history);
  const metrics: RunFolderMetrics = { status: result.status, summary: result.summary, validation: result.validation, test: result.test };
  writeJson(path.join(dir, 'metrics.json'), metrics);
  if (result.testProbs) writeProbs(dir, 'test', { probs: result.testProbs, labels: labels.test });
  if (result.validationProbs) writeProbs(dir, 'validation', { probs: result.validationProbs, labels: labels.validation });
}

/**
 * Reads a run folder written by writeRunConfig + writeRunEvaluation (+ a model).
 * @example const { testProbs, test } = readRunArtifacts(runFolderPath(runsDir, id));
 * @throws UserError when the folder or one of its required files is missing or damaged.
 */
export function readRunArtifacts(dir: string): RunArtifacts {
  if (!fs.existsSync(path.join(dir, 'config.json'))) {
    throw new UserError(`${dir}: not a run folder (config.json is missing); name a folder under the runs folder or a run id`);
  }
  const spec = readJson<RunSpec>(path.join(dir, 'config.json'));
  const history = fs.existsSync(path.join(dir, 'history.json')) ? readJson<EpochMetrics[]>(path.join(dir, 'history.json'), 'list') : [];
  const metrics = readRunMetrics(dir);
  return {
    dir,
    modelDir: runFolderModelDir(dir),
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

/** metrics.json of a run folder, or null when the run has not ended. */
export function readRunMetrics(dir: string): RunFolderMetrics | null {
  const file = path.join(dir, 'metrics.json');
  return fs.existsSync(file) ? readJson<RunFolderMetrics>(file) : null;
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
  const [rows, cols] = Array.isArray(meta.shape) ? meta.shape : [];
  if (meta.dtype !== 'float32' || !Number.isSafeInteger(rows) || cols !== 10 || !Array.isArray(meta.labels) || meta.labels.length !== rows) {
    throw new UserError(`${sidecar}: does not describe [N, 10] float32 probabilities with N labels; the run folder is damaged, re-run it`);
  }
  // The size first: a device or a huge file in its place is never read (as checkpoint.ts does for tensors.bin).
  const stat = fs.statSync(bin);
  const size = stat.isFile() ? stat.size : -1;
  if (size !== rows * cols * 4) {
    throw new UserError(`${bin}: expected ${rows}x${cols} float32 values (${rows * cols * 4} bytes) as ${sidecar} says, found ${size < 0 ? 'something that is not a regular file' : `${size} bytes`}; the run folder is damaged, re-run it`);
  }
  const bytes = fs.readFileSync(bin);
  const probs = new Float32Array(rows * cols);
  for (let i = 0; i < probs.length; i++) probs[i] = bytes.readFloatLE(i * 4);
  return { probs, labels: Uint8Array.from(meta.labels) };
}

/** A run-folder JSON file: a list when `shape` is 'list' (history.json), else an object; anything else means the folder is damaged. */
function readJson<T>(file: string, shape: 'object' | 'list' = 'object'): T {
  let value: unknown;
  try {
    value = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UserError(`${file}: cannot be read as JSON (${(err as Error).message}); the run folder is damaged, re-run it`);
  }
  const ok = shape === 'list' ? Array.isArray(value) : typeof value === 'object' && value !== null && !Array.isArray(value);
  if (!ok) throw new UserError(`${file}: holds ${JSON.stringify(value)?.slice(0, 40)}, not ${shape === 'list' ? 'a list' : 'an object'}; the run folder is damaged, re-run it`);
  return value as T;
}

function writeJson(file: string, value: unknown): void {
  writeAtomic(file, JSON.stringify(value, null, 2) + '\n');
}

/**
 * Creates the runs folder if needed and checks that this process can write into it, so that a
 * command that trains stops before training, not after.
 * @throws UserError naming the folder and the fix (no permission, read-only, a file in the way)
 */
export function ensureRunsDir(runsDir: string): void {
  try {
    makeFolders(runsDir);
    fs.accessSync(runsDir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (err) {
    throw fileProblem(err, runsDir, 'cannot use the runs folder');
  }
}

/**
 * Where this process writes a run's results (or, labelled, its checkpoint) before moving them into
 * place under the run's lease (see train's artifacts.ts).
 */
export function stagingFolder(dir: string, label?: string): string {
  return path.join(dir, `${STAGING_PREFIX}${label ? `${label}-` : ''}${process.pid}`);
}

/** The run's training checkpoint folder (see the layout above). */
export function checkpointFolder(dir: string): string {
  return path.join(dir, 'checkpoint');
}

const STAGING_PREFIX = '.staging-';

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
    if (entry.name.startsWith(STAGING_PREFIX) || entry.name.endsWith('.tmp')) fs.rmSync(full, { recursive: true, force: true });
    else if (entry.isDirectory()) cleanRunFolder(full);
  }
}

/** Creates the folder (and the runs folder); an unwritable place is the user's to fix. */
export function makeFolder(dir: string): void {
  try {
    makeFolders(dir);
  } catch (err) {
    throw fileProblem(err, dir, 'cannot create the run folder');
  }
}

function writeAtomic(file: string, data: string | Buffer): void {
  try {
    writeFileAtomic(file, data);
  } catch (err) {
    throw fileProblem(err, file, 'cannot write');
  }
}
