/**
 * Training checkpoints: what trainRun needs to go on after its last finished epoch exactly as if it
 * had not stopped: the weights (with batch-norm statistics), the optimizer's moments and step count,
 * the random generator's position (shuffling, augmentation, dropout), the moving average and the
 * best-epoch weights when those are on, the history and the per-step recorder. On the same backend
 * a resumed run ends with the same weights and metrics as an uninterrupted one.
 *
 * In a run folder (tracking's checkpointFolder) a checkpoint is two files:
 *   checkpoint.json  { version, trialHash, state, tensors: [{ group, name, dtype, shape, offset, length }] }
 *   tensors.bin      the tensors' values, little-endian, one after another at `offset` bytes
 * A checkpoint is used only by a run of the same trial hash and format version.
 */
import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { StepRecorderState } from './steps';
import type { EpochMetrics, StepMetrics } from './types';

/** A named tensor as tf.Optimizer's getWeights and setWeights take it. */
type NamedTensor = Awaited<ReturnType<tf.Optimizer['getWeights']>>[number];

const VERSION = 1;
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** The plain part of a checkpoint. */
export interface CheckpointState {
  /** Epochs finished: training goes on with epoch + 1. */
  epoch: number;
  /** The random generator's state (random.ts resumeRng). */
  rngState: number;
  history: EpochMetrics[];
  trainSeconds: number;
  trainImages: number;
  /** The per-step recorder's position (null when steps were not recorded). */
  steps: StepRecorderState | null;
  /** The per-step points emitted so far (at most MAX_STEP_POINTS and one per stop), so a resumed run's record is whole. */
  points: StepMetrics[];
  /** Steps folded into the moving average (null without train.ema). */
  emaSteps: number | null;
}

/**
 * A checkpoint in memory. Handed to TrainOptions.onCheckpoint, its tensors are the trainer's own
 * (valid during the call only); given as TrainOptions.resume, the trainer copies them in and disposes them.
 */
export interface TrainingCheckpoint {
  state: CheckpointState;
  /** model.getWeights(): trainable weights and batch-norm statistics, in the model's order. */
  model: tf.Tensor[];
  /** optimizer.getWeights(): the step count ('iter') and the moments. */
  optimizer: NamedTensor[];
  /** Adam's running beta powers (tfjs recomputes them with pow on setWeights, which can differ in the last bit). */
  adam: tf.Tensor[] | null;
  /** The best epoch's weights (early stopping), or null. */
  best: tf.Tensor[] | null;
  /** The moving averages of the trainable weights (train.ema), or null. */
  ema: tf.Tensor[] | null;
}

type Group = 'model' | 'optimizer' | 'adam' | 'best' | 'ema';

interface TensorEntry {
  group: Group;
  name: string | null;
  dtype: 'float32' | 'int32';
  shape: number[];
  offset: number;
  length: number;
}

/** Writes the checkpoint into `dir` (a new folder: the caller moves it into place). */
export function writeCheckpoint(dir: string, checkpoint: TrainingCheckpoint, trialHash: string): void {
  const listed: { group: Group; name: string | null; tensor: tf.Tensor }[] = [
    ...checkpoint.model.map((tensor) => ({ group: 'model' as const, name: null, tensor })),
    ...checkpoint.optimizer.map((w) => ({ group: 'optimizer' as const, name: w.name, tensor: w.tensor })),
    ...(checkpoint.adam ?? []).map((tensor) => ({ group: 'adam' as const, name: null, tensor })),
    ...(checkpoint.best ?? []).map((tensor) => ({ group: 'best' as const, name: null, tensor })),
    ...(checkpoint.ema ?? []).map((tensor) => ({ group: 'ema' as const, name: null, tensor })),
  ];
  const tensors: TensorEntry[] = [];
  const chunks: Buffer[] = [];
  let offset = 0;
  for (const { group, name, tensor } of listed) {
    if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') throw new Error(`writeCheckpoint: cannot store a ${tensor.dtype} tensor`);
    const values = tensor.dataSync() as Float32Array | Int32Array;
    const bytes = Buffer.from(values.buffer, values.byteOffset, values.byteLength);
    tensors.push({ group, name, dtype: tensor.dtype, shape: tensor.shape, offset, length: values.length });
    chunks.push(toLittleEndian(bytes));
    offset += bytes.length;
  }
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'tensors.bin'), Buffer.concat(chunks));
  fs.writeFileSync(path.join(dir, 'checkpoint.json'), JSON.stringify({ version: VERSION, trialHash, state: checkpoint.state, tensors }));
}

/**
 * The checkpoint in `dir`, or null when there is none, it belongs to another trial or format, or it
 * is damaged (the run then starts over: a checkpoint only ever saves time).
 */
export function readCheckpoint(dir: string, trialHash: string): TrainingCheckpoint | null {
  let meta: { version?: unknown; trialHash?: unknown; state?: unknown; tensors?: unknown };
  try {
    const text = readSmallFile(path.join(dir, 'checkpoint.json'), MAX_META_BYTES);
    meta = text === null ? {} : JSON.parse(text);
  } catch {
    return null;
  }
  if (meta === null || typeof meta !== 'object' || meta.version !== VERSION || meta.trialHash !== trialHash) return null;
  if (!isState(meta.state) || !Array.isArray(meta.tensors) || !meta.tensors.every(isEntry)) return null;
  const entries = meta.tensors as TensorEntry[];
  // tensors.bin must be a regular file of exactly the size its entries describe: never read a device or an endless file.
  const bytes = entries.reduce((end, e) => Math.max(end, e.offset + e.length * 4), 0);
  const bin = path.join(dir, 'tensors.bin');
  let data: Buffer;
  try {
    const stat = fs.statSync(bin);
    if (!stat.isFile() || stat.size !== bytes) return null;
    data = fs.readFileSync(bin);
  } catch {
    return null;
  }
  if (data.length !== bytes) return null;
  const tensorOf = (e: TensorEntry) => {
    const values = e.dtype === 'int32' ? new Int32Array(e.length) : new Float32Array(e.length);
    new Uint8Array(values.buffer).set(fromLittleEndian(data.subarray(e.offset, e.offset + e.length * 4)));
    return tf.tensor(values, e.shape, e.dtype);
  };
  const group = (g: Group) => entries.filter((e) => e.group === g);
  const optional = (g: Group) => (group(g).length ? group(g).map(tensorOf) : null);
  return {
    state: meta.state,
    model: group('model').map(tensorOf),
    optimizer: group('optimizer').map((e) => ({ name: e.name ?? '', tensor: tensorOf(e) })),
    adam: optional('adam'),
    best: optional('best'),
    ema: optional('ema'),
  };
}

/** checkpoint.json is small (a history and step points); anything bigger is not one. */
const MAX_META_BYTES = 16 * 1024 * 1024;

/** A regular file's text, or null when it is not a regular file or is larger than `max` bytes. */
function readSmallFile(file: string, max: number): string | null {
  const stat = fs.statSync(file);
  return stat.isFile() && stat.size <= max ? fs.readFileSync(file, 'utf8') : null;
}

const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A checkpoint's plain state as trainRun will use it: every field there, of its type, and one history entry per finished epoch. */
function isState(v: unknown): v is CheckpointState {
  if (!isObject(v) || !isCount(v.epoch) || v.epoch < 1 || !isCount(v.rngState) || v.rngState > 0xffffffff) return false;
  if (!isFiniteNumber(v.trainSeconds) || !isFiniteNumber(v.trainImages) || !(v.emaSteps === null || isCount(v.emaSteps))) return false;
  const history = v.history;
  if (!Array.isArray(history) || history.length !== v.epoch || !history.every((h, i) => isObject(h) && h.epoch === i + 1)) return false;
  if (!Array.isArray(v.points) || !v.points.every((p) => isObject(p) && isCount(p.step) && isFiniteNumber(p.epoch))) return false;
  const steps = v.steps;
  return steps === null || (isObject(steps) && ['step', 'lossSum', 'correct', 'images', 'pending', 'position'].every((k) => isFiniteNumber(steps[k])));
}

/** A tensor entry that fits in memory and describes its own size. */
function isEntry(v: unknown): v is TensorEntry {
  if (!isObject(v) || !['model', 'optimizer', 'adam', 'best', 'ema'].includes(v.group as string)) return false;
  if ((v.dtype !== 'float32' && v.dtype !== 'int32') || !(v.name === null || typeof v.name === 'string')) return false;
  if (!Array.isArray(v.shape) || !v.shape.every(isCount) || !isCount(v.offset) || !isCount(v.length)) return false;
  return v.length === (v.shape as number[]).reduce((a, d) => a * d, 1) && v.length <= 2 ** 28;
}

/** Frees a checkpoint's tensors (one read by readCheckpoint and not handed to the trainer). */
export function disposeCheckpoint(checkpoint: TrainingCheckpoint): void {
  tf.dispose([...checkpoint.model, ...checkpoint.optimizer.map((w) => w.tensor), ...(checkpoint.adam ?? []), ...(checkpoint.best ?? []), ...(checkpoint.ema ?? [])]);
}

/** 4-byte values between this machine's byte order and little-endian (a copy; swapped on a big-endian machine). */
function toLittleEndian(bytes: Buffer): Buffer {
  const copy = Buffer.from(bytes);
  return LITTLE_ENDIAN ? copy : copy.swap32();
}

const fromLittleEndian = toLittleEndian;
