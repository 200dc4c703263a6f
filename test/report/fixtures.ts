/** Plain-object runs for report tests and the report benchmark: a small seeded grid of fake results. */
import { flattenParams } from '../../src/config/params';
import { createRng } from '../../src/random';
import type { RunSpec } from '../../src/config/types';
import type { Run } from '../../src/tracking/types';
import type { EpochMetrics, Evaluation, StepMetrics } from '../../src/train/types';
import type { ReportData, TestPredictions } from '../../src/report/types';

/** A run name that tries to break out of every HTML context it lands in. */
export const XSS_NAME = '</script><img src=x onerror=alert(1)>';

/** Deterministic so fixtures are the same on every run. */
export const prng = createRng;

function spec(lr: number, filters: number, optimizer: 'adam' | 'sgd', seed: number, batchSize = 64, dropout = 0.2): RunSpec {
  return {
    // As stored by runs from before splitSeed, replicas and ema existed (their params lack them).
    data: { trainLimit: 2000, testLimit: 1000, validationFraction: 0.1 } as RunSpec['data'],
    model: {
      kind: 'cnn',
      blocks: [{ filters, kernelSize: 3, convs: 1, padding: 'same', batchNorm: false, pool: 2, dropout: 0, stride: 1 }],
      dense: [64],
      denseDropout: dropout,
      activation: 'relu',
    },
    train: {
      optimizer: { name: optimizer, learningRate: lr, momentum: 0.9 },
      batchSize,
      epochs: 10,
      schedule: { kind: 'none' },
      earlyStopping: null,
      augment: { enabled: false, rotation: 0, shift: 0, zoom: 0 },
    } as RunSpec['train'],
    seed,
  };
}

/** An evaluation with the given accuracy: a plausible confusion matrix over `count` images. */
export function evaluation(accuracy: number, count: number, rand: () => number): Evaluation {
  const perClassCount = Math.floor(count / 10);
  const confusion = Array.from({ length: 10 }, (_, t) => {
    const row = new Array(10).fill(0);
    const wrong = Math.round(perClassCount * (1 - accuracy) * (0.4 + 1.2 * rand()));
    row[t] = perClassCount - wrong;
    for (let k = 0; k < wrong; k++) row[(t + 1 + Math.floor(rand() * 9)) % 10]++;
    return row;
  });
  const total = perClassCount * 10;
  const correct = confusion.reduce((s, row, i) => s + row[i], 0);
  const perClass = confusion.map((row, label) => {
    const predicted = confusion.reduce((s, r) => s + r[label], 0);
    const precision = predicted ? row[label] / predicted : 0;
    const recall = row[label] / perClassCount;
    return { label, precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support: perClassCount };
  });
  const mean = (k: 'precision' | 'recall' | 'f1') => perClass.reduce((s, c) => s + c[k], 0) / 10;
  return { count: total, accuracy: correct / total, loss: 0.05 + (1 - accuracy), perClass, macro: { precision: mean('precision'), recall: mean('recall'), f1: mean('f1') }, confusion };
}

/** A learning curve that rises towards `final` accuracy over `epochs` epochs. */
export function history(final: number, epochs: number, rand: () => number): EpochMetrics[] {
  return Array.from({ length: epochs }, (_, i) => {
    const progress = 1 - Math.exp(-(i + 1) / Math.max(1, epochs / 4));
    const acc = 0.2 + (final - 0.2) * progress;
    const noise = () => (rand() - 0.5) * 0.01;
    return {
      epoch: i + 1,
      loss: 2.3 * (1 - progress) + 0.04 + noise(),
      accuracy: Math.min(1, acc + 0.01 + noise()),
      valLoss: 2.3 * (1 - progress) + 0.07 + noise(),
      valAccuracy: Math.min(1, acc + noise()),
      learningRate: 0.001,
      imagesPerSec: 600,
      seconds: 3 + rand(),
    };
  });
}

export interface GridOptions {
  count?: number; // number of finished runs, two seeds per config; default 12
  epochs?: number; // default 8
  experiment?: string;
  failed?: number; // how many extra failed runs; default 1
}

/** A grid of finished runs over learning rate, filters, optimizer and seed, plus failed runs. */
export function fakeGrid(options: GridOptions = {}): ReportData {
  const rand = prng(42);
  const count = options.count ?? 12;
  const epochs = options.epochs ?? 8;
  const experiment = options.experiment ?? 'cnn-grid';
  const lrs = [0.0003, 0.001, 0.003, 0.03];
  const runs: Run[] = [];
  const histories = new Map<string, EpochMetrics[]>();
  for (let i = 0; i < count; i++) {
    const config = Math.floor(i / 2);
    const lr = lrs[config % lrs.length];
    const filters = [16, 32][Math.floor(config / lrs.length) % 2];
    const optimizer = Math.floor(config / (lrs.length * 2)) % 2 === 0 ? 'adam' : 'sgd';
    const seed = 1 + (i % 2);
    const batchSize = [64, 32, 128, 256][Math.floor(config / 16) % 4]; // only varies in grids of more than 32 runs
    const dropout = [0.2, 0, 0.4, 0.6][Math.floor(config / 64) % 4];
    const quality = 0.97 + 0.02 * (filters === 32 ? 1 : 0.5) - Math.abs(Math.log10(lr / 0.001)) * 0.01 - (optimizer === 'sgd' ? 0.01 : 0);
    const penalty = Math.abs(Math.log2(batchSize / 64)) * 0.002 + Math.abs(dropout - 0.2) * 0.01;
    const final = Math.min(0.995, quality - penalty + (rand() - 0.5) * 0.006);
    const id = `run${String(i).padStart(4, '0')}-${Math.floor(rand() * 1e8).toString(16).padStart(8, '0')}`;
    const h = history(final, epochs, rand);
    histories.set(id, h);
    const extra = (count > 32 ? ` bs=${batchSize}` : '') + (count > 128 ? ` drop=${dropout}` : '');
    runs.push(finishedRun(id, experiment, `cnn lr=${lr} f=${filters} ${optimizer}${extra} seed=${seed}`, spec(lr, filters, optimizer, seed, batchSize, dropout), final, h, rand));
  }
  for (let k = 0; k < (options.failed ?? 1); k++) runs.push(failedRun(`failed${k}`, experiment));
  return { runs, histories };
}

function finishedRun(id: string, experiment: string, name: string, s: RunSpec, acc: number, h: EpochMetrics[], rand: () => number): Run {
  const seconds = h.reduce((t, e) => t + e.seconds, 0) * (s.model.kind === 'cnn' ? s.model.blocks[0].filters / 16 : 1);
  return {
    id,
    experiment,
    name,
    trialHash: id.slice(-8),
    status: 'finished',
    spec: s,
    params: flattenParams(s),
    seed: s.seed,
    createdAt: '2026-11-22T09:00:00.000Z',
    startedAt: '2026-11-22T09:00:01.000Z',
    endedAt: '2026-11-22T09:01:00.000Z',
    heartbeatAt: '2026-11-22T09:01:00.000Z',
    summary: {
      epochs: h.length,
      bestEpoch: h.length,
      bestValAccuracy: acc,
      bestValLoss: h[h.length - 1].valLoss,
      finalValAccuracy: acc,
      finalValLoss: h[h.length - 1].valLoss,
      trainSeconds: seconds,
      imagesPerSec: 600,
      peakRssMb: 400,
    },
    validation: evaluation(acc, 1000, rand),
    test: evaluation(acc - 0.002, 10000, rand),
    provenance: {
      backend: 'wasm',
      versions: { tfjs: '4.22.0', node: 'v20.20.2', 'digit-lab': '0.1.0' },
      gitCommit: '22c7490aaaaabbbbccccddddeeeeffff00001111',
      gitDirty: false,
      lockfileHash: 'abc123def456',
      dataHash: '2646ac647ad5339dbf082846283269ea',
      host: 'lab-1',
      pid: 1234,
    },
    calibration: null,
    artifactDir: `runs/${id}`,
    tags: {},
    note: null,
    error: null,
    attempt: 1,
  };
}

function failedRun(id: string, experiment: string): Run {
  return {
    ...finishedRun(id, experiment, 'cnn lr=1 diverged', spec(1, 16, 'sgd', 1), 0.1, history(0.1, 1, prng(1)), prng(1)),
    status: 'failed',
    summary: null,
    validation: null,
    test: null,
    error: 'loss became NaN at epoch 2',
  };
}

/**
 * Fake test predictions for `images`/`labels`: confident and right, except every `every`-th image,
 * which is confidently wrong.
 */
export function fakePredictions(labels: Uint8Array, images?: Uint8Array, every = 37): TestPredictions {
  const probs = new Float32Array(labels.length * 10).fill(0.005);
  for (let i = 0; i < labels.length; i++) {
    const predicted = i % every === 5 ? (labels[i] + 1 + (i % 9)) % 10 : labels[i];
    probs[i * 10 + predicted] = 0.955 - (i % 7) * 0.01;
  }
  return { probs, labels, images };
}

/** The fixture grid with the XSS string as a run name, experiment name, tag and note. */
export function hostileGrid(): ReportData {
  const data = fakeGrid({ count: 8, epochs: 5 });
  const victim = data.runs[2];
  victim.name = XSS_NAME;
  victim.tags = { [XSS_NAME]: XSS_NAME };
  victim.note = XSS_NAME;
  data.runs[3].experiment = XSS_NAME;
  data.runs[4].error = XSS_NAME;
  return data;
}

/** Per-step metrics for every run with a history: 40 points an epoch, noisy, falling loss. */
export function fakeSteps(data: ReportData): Map<string, StepMetrics[]> {
  const rand = prng(7);
  const steps = new Map<string, StepMetrics[]>();
  for (const [id, epochs] of data.histories) {
    const points: StepMetrics[] = [];
    const perEpoch = Math.max(5, Math.floor(200 / Math.max(1, epochs.length)));
    epochs.forEach((e, i) => {
      for (let s = 1; s <= perEpoch; s++) {
        const t = i + s / perEpoch;
        const noise = (rand() - 0.5) * 0.2;
        points.push({ step: i * perEpoch + s, epoch: Number(t.toFixed(4)), loss: Math.max(0.01, e.loss * (1.3 - 0.3 * (s / perEpoch)) + noise), accuracy: Math.min(1, Math.max(0, e.accuracy - 0.05 * (1 - s / perEpoch) + noise / 4)) });
      }
    });
    steps.set(id, points);
  }
  return steps;
}
