/**
 * Data-parallel training on one machine: the model is copied into worker threads, every batch is
 * split between this thread and them, and their gradients, averaged, make one optimizer step
 * here. The TF.js WebAssembly backend computes on one thread per instance (see engine/backend),
 * so this is how one run uses more than one core.
 */
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import type { CnnSpec, RnnSpec, TrainSpec } from '../config';
import { augmentBatch } from '../data';
import { engineInfo } from '../engine';
import type { Rng } from '../random';
import { BatchStep, gatherImages } from './epoch';
import type { StepResult } from './steps';
import { batchGradients } from './gradients';
import type { AugmentFn, LabeledImages } from './options';

/** What a replica thread is started with (worker_threads' workerData). */
export interface ReplicaInit {
  backend: string;
  model: CnnSpec | RnnSpec;
  train: Pick<TrainSpec, 'augment'>;
  /** Shapes of the trainable weights, in model.trainableWeights order, to check the copy against. */
  shapes: number[][];
  /** The current weights, written here after every step and read by the replicas before theirs. */
  weights: SharedArrayBuffer;
  /** Where the replica leaves its gradients, same layout as `weights`. */
  grads: SharedArrayBuffer;
}

/** One share of a batch for a replica: images [n, ...imageShape] flattened, labels, generator seed. */
export interface ReplicaJob {
  pixels: Float32Array;
  imageShape: number[];
  labels: Int32Array;
  seed: number;
}

export type ReplicaReply = { ready: true } | (StepResult & { ready?: false }) | { error: string };

export interface Replicas {
  step: BatchStep;
  /** Stops the threads; safe to call twice. */
  close: () => Promise<void>;
}

interface Thread {
  worker: Worker;
  grads: Float32Array;
  /** Settles the reply this thread owes, if any. */
  waiting: { resolve: (reply: ReplicaReply) => void; reject: (err: Error) => void } | null;
  failure: Error | null;
}

/**
 * Starts `count - 1` replica threads beside this one and returns the step that trains with all of
 * them. Each batch is cut into `count` contiguous shares (sizes differ by at most one); batch norm
 * sees per-share statistics, as in other data-parallel trainers. Seeded: this thread draws each
 * replica's generator seed from `rng`, so the same spec and seed repeat exactly.
 *
 * @example
 * const replicas = await startReplicas({ count: 2, model, modelSpec: spec.model, optimizer, train, spec: spec.train, rng, augment });
 * try { await fitEpoch({ ..., step: replicas.step }); } finally { await replicas.close(); }
 */
export async function startReplicas(ctx: {
  count: number;
  model: tf.LayersModel;
  modelSpec: CnnSpec | RnnSpec;
  optimizer: tf.Optimizer;
  train: LabeledImages;
  spec: TrainSpec;
  rng: Rng;
  augment: AugmentFn | null;
}): Promise<Replicas> {
  if (ctx.augment !== null && ctx.augment !== augmentBatch) {
    throw new Error('replica threads augment with augmentBatch; a custom augment function cannot reach them (train with replicas 1)');
  }
  const variables = ctx.model.trainableWeights.map((w) => w.read() as tf.Variable);
  const shapes = variables.map((v) => v.shape);
  const offsets = layout(shapes);
  const total = offsets[offsets.length - 1];
  const weights = new Float32Array(new SharedArrayBuffer(total * 4));
  const writeWeights = () => variables.forEach((v, i) => weights.set(v.dataSync() as Float32Array, offsets[i]));
  writeWeights();
  const threads: Thread[] = [];
  const close = async () => {
    await Promise.all(threads.splice(0).map((t) => t.worker.terminate()));
  };
  try {
    for (let k = 1; k < ctx.count; k++) {
      const grads = new SharedArrayBuffer(total * 4);
      const init: ReplicaInit = {
        backend: backendName(), model: ctx.modelSpec, train: { augment: ctx.spec.augment }, shapes, weights: weights.buffer as SharedArrayBuffer, grads,
      };
      threads.push(startThread(init, new Float32Array(grads)));
    }
    await Promise.all(threads.map((t) => reply(t)));
  } catch (err) {
    await close();
    throw err;
  }
  const imageShape = ctx.train.xs.shape.slice(1);

  const step = async (idx: Int32Array): Promise<StepResult> => {
    const shares = splitShares(idx, threads.length + 1);
    const labelsOf = (share: Int32Array) => Int32Array.from(share, (i) => ctx.train.labels[i]);
    // Replica seeds first, then this thread's own draws: a fixed order keeps runs repeatable.
    const replies = threads.map((t, k) => {
      const share = shares[k + 1];
      if (share.length === 0) return null;
      const images = gatherImages(ctx.train, share);
      const pixels = images.dataSync() as Float32Array;
      images.dispose();
      const job: ReplicaJob = { pixels, imageShape, labels: labelsOf(share), seed: Math.floor(ctx.rng() * 2 ** 31) };
      t.worker.postMessage(job, [pixels.buffer as ArrayBuffer]);
      return reply(t);
    });
    const xs = gatherImages(ctx.train, shares[0]);
    const own = batchGradients({ model: ctx.model, xs, labels: labelsOf(shares[0]), augment: ctx.augment, spec: ctx.spec.augment, rng: ctx.rng });
    xs.dispose();
    const results = await Promise.all(replies).catch((err: Error) => {
      own.grads.forEach((g) => g.dispose()); // the step is lost; the caller closes the replicas
      throw err;
    });
    const n = idx.length;
    tf.tidy(() => {
      const named: tf.NamedTensorMap = {};
      variables.forEach((v, i) => {
        let g = tf.mul(own.grads[i], shares[0].length / n);
        threads.forEach((t, k) => {
          if (results[k] == null) return;
          const part = tf.tensor(t.grads.subarray(offsets[i], offsets[i + 1]), v.shape);
          g = tf.add(g, tf.mul(part, shares[k + 1].length / n));
        });
        named[v.name] = g;
      });
      ctx.optimizer.applyGradients(named);
    });
    own.grads.forEach((g) => g.dispose());
    writeWeights();
    let [loss, correct] = [own.loss * shares[0].length, own.correct];
    results.forEach((r, k) => {
      if (r == null) return;
      loss += r.loss * shares[k + 1].length;
      correct += r.correct;
    });
    return { loss: loss / n, correct };
  };
  return { step, close };
}

/**
 * `idx` cut into `count` contiguous shares whose sizes differ by at most one, the larger ones
 * first, so this thread's share is never empty (later ones are when there are fewer images than shares).
 * @example splitShares(Int32Array.of(1, 2, 3, 4, 5), 2) // [1, 2, 3], [4, 5]
 */
export function splitShares(idx: Int32Array, count: number): Int32Array[] {
  const bound = (k: number) => Math.ceil((k * idx.length) / count);
  return Array.from({ length: count }, (_, k) => idx.subarray(bound(k), bound(k + 1)));
}

/** Start offsets (in floats) of each shape in one flat buffer, plus the total at the end. */
export function layout(shapes: number[][]): number[] {
  const offsets = [0];
  for (const shape of shapes) offsets.push(offsets[offsets.length - 1] + shape.reduce((p, q) => p * q, 1));
  return offsets;
}

/** The engine the replicas must use: the one this thread trains on. */
function backendName(): string {
  const chosen = engineInfo()?.backend;
  if (chosen) return chosen;
  return tf.getBackend() === 'tensorflow' ? 'node' : tf.getBackend();
}

function startThread(init: ReplicaInit, grads: Float32Array): Thread {
  // Under ts-node (tests, notebooks, bench) the worker is TypeScript too and needs the same hook.
  const fromSource = path.extname(__filename) === '.ts';
  const file = path.join(__dirname, `replica-worker${path.extname(__filename)}`);
  const worker = new Worker(file, { workerData: init, execArgv: fromSource ? ['-r', 'ts-node/register/transpile-only'] : [] });
  const thread: Thread = { worker, grads, waiting: null, failure: null };
  const fail = (err: Error) => {
    thread.failure ??= err;
    thread.waiting?.reject(err);
    thread.waiting = null;
  };
  worker.on('message', (message: ReplicaReply) => {
    const waiting = thread.waiting;
    thread.waiting = null;
    if ('error' in message) waiting?.reject(new Error(`replica thread: ${message.error}`));
    else waiting?.resolve(message);
  });
  worker.on('error', (err) => fail(err));
  worker.on('exit', (code) => fail(new Error(`replica thread stopped (exit code ${code})`)));
  return thread;
}

/** The next message of a thread (its readiness or a step's result). */
function reply(thread: Thread): Promise<StepResult> {
  if (thread.failure) return Promise.reject(thread.failure);
  return new Promise((resolve, reject) => {
    thread.waiting = { resolve: (r) => resolve(r as StepResult), reject };
  });
}
