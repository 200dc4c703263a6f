/**
 * Tracking benchmark: how fast metric points are logged (batched logEpochs) and how long listing
 * takes over 10,000 runs and 1,000,000 metric points, through the store API and the full `digits
 * runs` process. Writes bench/results/tracking.json.
 *   npm run bench:tracking            (BENCH_RUNS=2000 for a quicker, smaller run; BENCH_KEEP=1 keeps the db)
 * It ends with the runner figures of bench/runner.ts (digits run overhead and 2-worker speed-up).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultRunSpec } from '../src/config/defaults';
import type { RunSpec } from '../src/config/types';
import { openStore } from '../src/tracking/open';
import type { SqliteStore } from '../src/tracking/store';
import type { EpochMetrics, Evaluation } from '../src/train/types';
import { benchRunner } from './runner';

const RUNS = Number(process.env.BENCH_RUNS ?? 10_000);
const EPOCHS = 100; // metric points per run: 10,000 x 100 = 1,000,000
const GOAL_MS = 300;

function evaluation(accuracy: number): Evaluation {
  const perClass = Array.from({ length: 10 }, (_, label) => ({ label, precision: accuracy, recall: accuracy, f1: accuracy, support: 1000 }));
  const confusion = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 980 : 2)));
  return { count: 10_000, accuracy, loss: 1 - accuracy, perClass, macro: { precision: accuracy, recall: accuracy, f1: accuracy }, confusion };
}

function specFor(i: number): RunSpec {
  const s = defaultRunSpec();
  s.seed = i % 5;
  s.train.optimizer.learningRate = [0.0003, 0.001, 0.003][i % 3];
  s.train.batchSize = [32, 64, 128, 256][i % 4];
  if (i % 2) s.model = { kind: 'rnn', cell: i % 4 === 1 ? 'lstm' : 'gru', layers: 1, units: 128, bidirectional: false, dropout: 0 };
  return s;
}

function history(): EpochMetrics[] {
  return Array.from({ length: EPOCHS }, (_, e) => ({
    epoch: e + 1, loss: 1 / (e + 1), accuracy: 0.9 + e / 1000, valLoss: 1 / (e + 1), valAccuracy: 0.9 + e / 1100,
    learningRate: 0.001, imagesPerSec: 600, seconds: 12,
  }));
}

/** Fills the store; returns seconds spent inside logEpochs. */
function fill(store: SqliteStore): { logSeconds: number; totalSeconds: number } {
  const t0 = performance.now();
  let logMs = 0;
  const epochs = history();
  for (let i = 0; i < RUNS; i++) {
    const spec = specFor(i);
    const run = store.createRun({ experiment: `exp-${i % 10}`, name: `trial ${i}`, trialHash: `h${i}`, spec, seed: spec.seed });
    store.claimRun(run.id, { pid: process.pid, host: os.hostname() });
    const t = performance.now();
    store.logEpochs(run.id, epochs);
    logMs += performance.now() - t;
    const acc = 0.97 + (i % 300) / 10_000;
    store.finishRun(run.id, {
      summary: { epochs: EPOCHS, bestEpoch: 90, bestValAccuracy: acc, bestValLoss: 0.05, finalValAccuracy: acc, finalValLoss: 0.05, trainSeconds: 60 + (i % 100), imagesPerSec: 600, peakRssMb: 400 },
      validation: evaluation(acc),
      test: evaluation(acc - 0.001),
    });
    if ((i + 1) % 1000 === 0) process.stderr.write(`  ${i + 1} runs\r`);
  }
  return { logSeconds: logMs / 1000, totalSeconds: (performance.now() - t0) / 1000 };
}

/** Median wall time in ms of `fn` over `n` repetitions. */
function median(n: number, fn: () => void): number {
  return medianOf(n, fn).wallMs;
}

/** Median wall and CPU time (this process) in ms; on a shared machine CPU time is the steadier figure. */
function medianOf(n: number, fn: () => void): { wallMs: number; cpuMs: number } {
  const runs = Array.from({ length: n }, () => {
    const cpu = process.cpuUsage();
    const t = performance.now();
    fn();
    const used = process.cpuUsage(cpu);
    return { wall: performance.now() - t, cpu: (used.user + used.system) / 1000 };
  });
  const mid = (xs: number[]) => Math.round(xs.sort((a, b) => a - b)[Math.floor(n / 2)] * 10) / 10;
  return { wallMs: mid(runs.map((r) => r.wall)), cpuMs: mid(runs.map((r) => r.cpu)) };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-bench-'));
  const file = path.join(dir, 'digits.sqlite');
  const store = openStore(file);
  console.log(`filling ${RUNS} runs x ${EPOCHS} epochs into ${file} ...`);
  const filled = fill(store);
  const points = RUNS * EPOCHS;

  // single-epoch logging (one transaction per point), as a live training loop does it
  const single = store.createRun({ experiment: 'single', name: 'single', trialHash: 'single', spec: defaultRunSpec(), seed: 1 });
  const singleN = 2000;
  const point = history()[0];
  const t = performance.now();
  for (let e = 0; e < singleN; e++) store.logEpochs(single.id, [{ ...point, epoch: e + 1 }]);
  const singleSec = (performance.now() - t) / 1000;
  store.deleteRun(single.id);

  const queries: Record<string, Parameters<SqliteStore['listRuns']>[0]> = {
    'newest 50 (digits runs default)': { sort: '-id', limit: 50 },
    'where + sort, limit 50': { where: 'val_accuracy>0.99 and model.kind=cnn', sort: '-test_accuracy', limit: 50 },
    'one experiment by param sort, limit 50': { experiment: ['exp-3'], sort: '-train.optimizer.learningRate', limit: 50 },
    [`all ${RUNS} runs, no limit`]: {},
  };
  const listMs: Record<string, { wallMs: number; cpuMs: number }> = {};
  for (const [label, q] of Object.entries(queries)) listMs[label] = medianOf(5, () => store.listRuns(q));
  const integrity = store.integrityCheck();
  store.close();
  if (process.env.BENCH_KEEP) console.log(`kept ${file}`);

  const bin = path.join(__dirname, '..', 'bin', 'digits.js');
  const cli = (args: string[]) => median(3, () => execFileSync(process.execPath, [bin, 'runs', '--db', file, ...args], { stdio: 'ignore' }));
  const cliMs = {
    'digits runs': cli([]),
    'digits runs --where "val_accuracy>0.99 and model.kind=cnn" --sort -test_accuracy': cli(['--where', 'val_accuracy>0.99 and model.kind=cnn', '--sort', '-test_accuracy']),
    'digits --help (process start-up alone)': median(3, () => execFileSync(process.execPath, [bin, '--help'], { stdio: 'ignore' })),
  };

  const result = {
    date: new Date().toISOString(),
    machine: { cpus: os.cpus().length, loadavg: os.loadavg().map((x) => Math.round(x * 10) / 10), node: process.version },
    size: { runs: RUNS, metricPoints: points, dbMb: Math.round(fs.statSync(file).size / 1e5) / 10 },
    logging: {
      batchedPointsPerSec: Math.round(points / filled.logSeconds),
      singlePointCallsPerSec: Math.round(singleN / singleSec),
      fillSeconds: Math.round(filled.totalSeconds),
    },
    listRunsMs: listMs,
    cliProcessMs: cliMs,
    goalMs: GOAL_MS,
    integrity,
    // digits run: overhead per trial beyond training and the 2-worker speed-up (bench/runner.ts; BENCH_RUNNER=0 skips it)
    runner: process.env.BENCH_RUNNER === '0' ? null : await benchRunner(),
  };
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'tracking.json'), `${JSON.stringify(result, null, 2)}\n`);
  console.log(JSON.stringify(result, null, 2));
  if (!process.env.BENCH_KEEP) fs.rmSync(dir, { recursive: true, force: true });
}

void main();
