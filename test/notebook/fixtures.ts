/** Small synthetic digit sets and a tiny recorded run for the notebook helper tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { defaultRunSpec } from '../../src/config/defaults';
import { trialHash } from '../../src/config/hash';
import type { RunSpec } from '../../src/config/types';
import type { DigitSet, Mnist } from '../../src/data/types';
import { SqliteStore } from '../../src/tracking/store';
import type { Provenance } from '../../src/tracking/types';
import type { RecordedRunInput } from '../../src/train/record';
import { trainAndRecord } from '../../src/train/record';

/**
 * `count` 28 x 28 digits labelled i % 10; digit i has a bright bar (255) on row 2 * label + 4,
 * pixel (0, 0) set to i % 256 so images can be told apart, and black elsewhere.
 */
export function barDigits(count: number, firstLabel = 0): DigitSet {
  const images = new Uint8Array(count * 784);
  const labels = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const label = (i + firstLabel) % 10;
    labels[i] = label;
    images.fill(255, i * 784 + (2 * label + 4) * 28 + 4, i * 784 + (2 * label + 4) * 28 + 24);
    images[i * 784] = i % 256;
  }
  return { images, labels, count, rows: 28, cols: 28 };
}

export function barMnist(train = 200, test = 50): Mnist {
  return { train: barDigits(train), test: barDigits(test, 3), dataDir: '/nowhere' };
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'digit-lab-notebook-test-'));
}

/** A tiny CNN spec: 2 epochs over `train` images, all test images. */
export function tinySpec(trainLimit = 200): RunSpec {
  const spec = defaultRunSpec();
  spec.model = {
    kind: 'cnn',
    blocks: [{ filters: 2, kernelSize: 3, convs: 1, padding: 'same', batchNorm: false, pool: 4, dropout: 0, stride: 1 }],
    dense: [],
    denseDropout: 0,
    activation: 'relu',
  };
  spec.data = { trainLimit, testLimit: null, validationFraction: 0.2, splitSeed: spec.seed };
  spec.train = { ...spec.train, batchSize: 20, epochs: 2 };
  return spec;
}

export const PROVENANCE: Provenance = {
  backend: 'cpu', versions: {}, gitCommit: null, gitDirty: null, lockfileHash: null, dataHash: null, host: 'test', pid: process.pid,
};

/**
 * Creates a run in `store` and trains it on `mnist` with trainAndRecord (cpu backend); `hooks`
 * gets the new run's id and returns extra trainAndRecord inputs (callbacks).
 */
export async function recordTinyRun(
  store: SqliteStore,
  mnist: Mnist,
  runsDir: string,
  hooks: (runId: string) => Partial<RecordedRunInput> = () => ({}),
) {
  await tf.setBackend('cpu');
  const spec = tinySpec(mnist.train.count);
  const run = store.createRun({ experiment: 'notebook-test', name: 'tiny <b>cnn</b>', trialHash: trialHash(spec), spec, seed: spec.seed });
  const result = await trainAndRecord({ spec, mnist, store, runId: run.id, runsDir, provenance: PROVENANCE, ...hooks(run.id) });
  return { run, result };
}
