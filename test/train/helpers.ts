import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { CnnSpec, RunSpec } from '../../src/config/types';
import { defaultRunSpec } from '../../src/config/defaults';
import { loadMnist } from '../../src/data/mnist';
import type { Mnist } from '../../src/data/types';
import { selectBackend } from '../../src/engine';
import { openStore } from '../../src/tracking/open';
import type { SqliteStore } from '../../src/tracking/store';
import { disposeData } from '../../src/train/data';
import type { LabeledImages, TrainingData } from '../../src/train/options';
import type { EpochMetrics } from '../../src/train/types';

/** Makes the project's engine choice the active TF.js backend (other test files may switch to cpu). */
export async function useEngine(): Promise<void> {
  const info = await selectBackend();
  await tf.setBackend(info.tfBackend);
}

/** A CNN small enough to train in well under a second on a few hundred images. */
export const TINY_CNN: CnnSpec = {
  kind: 'cnn',
  blocks: [{ filters: 2, kernelSize: 3, convs: 1, padding: 'same', batchNorm: false, pool: 4, dropout: 0.1, stride: 1 }],
  dense: [],
  denseDropout: 0,
  activation: 'relu',
};

/** The default spec with the tiny CNN, `epochs` epochs of batch 16. */
export function tinySpec(overrides: Partial<RunSpec['train']> = {}, seed = 3): RunSpec {
  const spec = defaultRunSpec();
  spec.model = TINY_CNN;
  spec.seed = seed;
  spec.train = { ...spec.train, batchSize: 16, epochs: 2, ...overrides };
  return spec;
}

/** tinySpec on a small real-MNIST subset: 192 training, 64 validation and 100 test images. */
export function smallMnistSpec(overrides: Partial<RunSpec['train']> = {}): RunSpec {
  const spec = tinySpec(overrides);
  spec.data = { trainLimit: 256, testLimit: 100, validationFraction: 0.25, splitSeed: spec.seed };
  return spec;
}

/** What recordingFixture gives a suite once its before hook has run. */
export interface RecordingFixture {
  root: string; // a temporary folder for run folders, removed after the suite
  mnist: Mnist;
  store: SqliteStore; // digits.sqlite in root
}

/**
 * Registers before/after hooks that make the engine active, load the real MNIST, and open a
 * tracking database in a fresh temporary folder (closed and removed after the suite). Call it
 * inside a describe; read the fields in tests, not at definition time.
 */
export function recordingFixture(prefix: string): RecordingFixture {
  const fixture = {} as RecordingFixture;
  before(async () => {
    await useEngine();
    fixture.root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    fixture.mnist = await loadMnist({ dataDir: path.resolve(__dirname, '../../../shared/datasets/mnist'), download: false, stampFile: null });
    fixture.store = openStore(path.join(fixture.root, 'digits.sqlite'), { runsDir: fixture.root });
  });
  after(() => {
    fixture.store.close();
    fs.rmSync(fixture.root, { recursive: true, force: true });
  });
  return fixture;
}

/**
 * Learnable synthetic digits: image i is noise plus a bright row at 2 * label, so a tiny model
 * improves within an epoch. The caller disposes with disposeData.
 */
export function syntheticData(train = 96, validation = 32, test = 32): TrainingData {
  const make = (n: number, offset: number): LabeledImages => {
    const labels = Uint8Array.from({ length: n }, (_, i) => (i + offset) % 10);
    const pixels = new Float32Array(n * 784);
    for (let i = 0; i < n; i++) {
      for (let p = 0; p < 784; p++) pixels[i * 784 + p] = ((i * 7919 + p * 104729) % 97) / 970;
      for (let x = 0; x < 28; x++) pixels[i * 784 + (2 * labels[i] + 4) * 28 + x] = 1;
    }
    return { xs: tf.tensor4d(pixels, [n, 28, 28, 1]), labels };
  };
  return { train: make(train, 0), validation: make(validation, 3), test: make(test, 5) };
}

/**
 * Registers before/after hooks that make the engine active and build syntheticData() (disposed
 * after the suite). Call it inside a describe; read `.data` in tests, not at definition time.
 */
export function syntheticFixture(): { data: TrainingData } {
  const fixture = {} as { data: TrainingData };
  before(async () => {
    await useEngine();
    fixture.data = syntheticData();
  });
  after(() => disposeData(fixture.data));
  return fixture;
}

/** The parts of an epoch record that must repeat exactly (timings never do). */
export const repeatable = (h: EpochMetrics[]) => h.map(({ epoch, loss, accuracy, valLoss, valAccuracy, learningRate }) => ({ epoch, loss, accuracy, valLoss, valAccuracy, learningRate }));
