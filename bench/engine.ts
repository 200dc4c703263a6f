/**
 * Engine benchmark: training and inference images/s of the reference CNN and an LSTM-128 on real
 * MNIST batches, for every available backend (each measured in its own process, chosen through
 * selectBackend with DIGITS_BACKEND). Prints a table and writes bench/results/engine.json.
 *
 *   npm run bench:engine                  # all available backends
 *   npm run bench:engine -- --profile     # plus per-kernel CPU time of one CNN training step (wasm)
 *   npm run bench:engine -- --backends wasm --repeats 9 --batches 200
 *   npm run bench:engine -- --backends wasm,wasm-stock --models cnn-strided   # strided convolutions
 *   npm run bench:engine -- --backends wasm --models cnn-strided --replicas 2  # plus data-parallel threads
 *
 * Each figure is the median of --repeats (default 5) timed runs of --batches (default 100) batches
 * (or --seconds, default 20, whichever ends first), after a warm-up; every run's figure is kept.
 *
 * "wasm-stock" is the wasm backend with only the kernel it lacks (Conv2DBackpropFilter) added and
 * the project's other kernels undone: the baseline the project kernels are measured against.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadMnist } from '../src/data';
import { EngineInfo, WASM_KERNELS, selectBackend } from '../src/engine';
import { defaultRunSpec } from '../src/config/defaults';
import { createRng } from '../src/random';
import { localStep, type BatchStep } from '../src/train/epoch';
import { createOptimizer, disposeOptimizer } from '../src/train/optimizer';
import { startReplicas } from '../src/train/replicas';
import { buildModel } from '../src/models/registry';
import { DEFAULT_MODELS, MODELS, ModelKind } from './engine-models';
import { KernelTime, profileKernels } from './kernel-profile';

const ROOT = path.resolve(__dirname, '..');
const DATA_DIR = path.resolve(ROOT, '../shared/datasets/mnist');
const RESULTS = path.join(ROOT, 'bench/results/engine.json');

interface Figure {
  model: string;
  /**
   * train / infer: TF.js's trainOnBatch and predict. step x1 / step xN: the project's own training
   * step (batchGradients and Adam, as trainRun takes it) on this thread, then shared by N replica threads.
   */
  phase: 'train' | 'infer' | `step x${number}`;
  batchSize: number;
  images: number;
  wallSeconds: number;
  imagesPerSecond: number; // wall clock, median of the repeats
  imagesPerCpuSecond: number; // per second of this process's CPU time (median): less sensitive to a busy machine
  repeats: number;
  imagesPerSecondAll: number[]; // each repeat's wall-clock figure, in order
}

interface BackendResult {
  label: string; // backend, or wasm-stock
  engine: EngineInfo;
  figures: Figure[];
  profile?: KernelTime[];
}

/** Per-backend batch sizes and time budgets: the pure-JS cpu backend manages ~3 img/s in training. */
const PLAN = {
  fast: { trainBatch: 64, inferBatch: 256, warmup: 5, maxBatches: 100, seconds: 20, repeats: 5 },
  cpu: { trainBatch: 16, inferBatch: 64, warmup: 1, maxBatches: 2, seconds: 4, repeats: 1 },
};

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Normalised batches [batch, ...inputShape] with one-hot labels, cycled through during timing. */
async function batches(kind: ModelKind, batchSize: number, count: number): Promise<Array<[tf.Tensor, tf.Tensor]>> {
  const { train } = await loadMnist({ dataDir: DATA_DIR, download: false });
  const pixels = 28 * 28;
  const out: Array<[tf.Tensor, tf.Tensor]> = [];
  for (let b = 0; b < count; b++) {
    const start = (b * batchSize) % (train.count - batchSize);
    const images = Float32Array.from(train.images.subarray(start * pixels, (start + batchSize) * pixels), (v) => v / 255);
    const labels = Int32Array.from(train.labels.subarray(start, start + batchSize));
    out.push([tf.tensor(images, [batchSize, ...kind.inputShape]), tf.oneHot(tf.tensor1d(labels, 'int32'), 10)]);
  }
  return out;
}

/** Times `step` (one batch each) for at most maxBatches or `seconds`. */
async function timeSteps(step: (i: number) => Promise<void>, plan: typeof PLAN.fast, seconds: number) {
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  let n = 0;
  while (n < plan.maxBatches && (n === 0 || performance.now() - wall0 < seconds * 1000)) await step(n++);
  const cpu = process.cpuUsage(cpu0);
  return { batches: n, wallSeconds: (performance.now() - wall0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

async function measure(kind: ModelKind, plan: typeof PLAN.fast, seconds: number): Promise<Figure[]> {
  const model = kind.build();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const figures: Figure[] = [];
  for (const phase of ['train', 'infer'] as const) {
    const batchSize = phase === 'train' ? plan.trainBatch : plan.inferBatch;
    const data = await batches(kind, batchSize, 8);
    const step = async (i: number) => {
      const [x, y] = data[i % data.length];
      if (phase === 'train') await model.trainOnBatch(x, y);
      else tf.tidy(() => model.predict(x, { batchSize }) as tf.Tensor).dataSync(); // one pass, not predict's default 32
    };
    for (let i = 0; i < plan.warmup; i++) await step(i);
    const runs = [];
    for (let r = 0; r < plan.repeats; r++) runs.push(await timeSteps(step, plan, seconds));
    figures.push(figure(kind.name, phase, batchSize, runs));
    tf.dispose(data.flat());
  }
  model.dispose();
  return figures;
}

/** The median of timed runs of `batchSize`-image batches, with every run's figure kept. */
function figure(model: string, phase: Figure['phase'], batchSize: number, runs: Array<{ batches: number; wallSeconds: number; cpuSeconds: number }>): Figure {
  const perSecond = runs.map((t) => (t.batches * batchSize) / t.wallSeconds);
  const mid = runs[medianIndex(perSecond)];
  return {
    model,
    phase,
    batchSize,
    images: mid.batches * batchSize,
    wallSeconds: round(mid.wallSeconds, 2),
    imagesPerSecond: round(median(perSecond), 0),
    imagesPerCpuSecond: round(median(runs.map((t) => (t.batches * batchSize) / t.cpuSeconds)), 0),
    repeats: runs.length,
    imagesPerSecondAll: perSecond.map((v) => round(v, 0)),
  };
}

/**
 * Images/s of the project's training step (what trainRun takes each batch) on this thread, then with
 * the batch split across `replicas` threads: the same network, batch, optimizer and images.
 */
async function measureReplicas(kind: ModelKind, plan: typeof PLAN.fast, seconds: number, replicas: number): Promise<Figure[]> {
  const { train } = await loadMnist({ dataDir: DATA_DIR, download: false });
  const batchSize = plan.trainBatch;
  const n = batchSize * 8;
  const images = {
    xs: tf.tensor4d(Float32Array.from(train.images.subarray(0, n * 784), (v) => v / 255), [n, 28, 28, 1]),
    labels: train.labels.slice(0, n),
  };
  const figures: Figure[] = [];
  for (const count of [1, replicas]) {
    const spec = defaultRunSpec().train; // Adam 0.001, no augmentation: the step itself is measured
    const modelSpec = kind.spec!();
    const model = buildModel(modelSpec, { seed: 1 });
    const optimizer = createOptimizer(spec.optimizer);
    const ctx = { model, optimizer, train: images, spec, rng: createRng(1), augment: null };
    const group = count > 1 ? await startReplicas({ ...ctx, count, modelSpec }) : null;
    const step: BatchStep = group?.step ?? localStep(ctx);
    const batch = (i: number) => Int32Array.from({ length: batchSize }, (_, j) => ((i % 8) * batchSize + j));
    const timed = async (i: number) => void (await step(batch(i)));
    for (let i = 0; i < plan.warmup; i++) await timed(i);
    const runs = [];
    for (let r = 0; r < plan.repeats; r++) runs.push(await timeSteps(timed, plan, seconds));
    await group?.close();
    disposeOptimizer(optimizer);
    model.dispose();
    figures.push(figure(kind.name, `step x${count}`, batchSize, runs));
  }
  images.xs.dispose();
  return figures;
}

/** Child mode: select the backend named in DIGITS_BACKEND, measure, print one JSON line. */
async function child(): Promise<void> {
  const stock = process.argv.includes('--stock-kernels') ? stockWasmKernels() : [];
  const engine = await selectBackend();
  for (const config of stock) {
    tf.unregisterKernel(config.kernelName, 'wasm');
    tf.registerKernel(config);
    config.setupFunc?.(tf.backend()); // replaced before the backend started, so never set up
  }
  if (stock.length > 0) engine.projectKernels = engine.projectKernels.filter((k) => !stock.some((c) => c.kernelName === k));
  const base = engine.backend === 'cpu' ? PLAN.cpu : PLAN.fast;
  const plan = { ...base, repeats: Number(arg('repeats') ?? base.repeats), maxBatches: Number(arg('batches') ?? base.maxBatches) };
  const seconds = Number(arg('seconds') ?? plan.seconds);
  const figures: Figure[] = [];
  const replicas = Number(arg('replicas') ?? 1);
  for (const kind of chosenModels()) {
    figures.push(...(await measure(kind, plan, seconds)));
    // Not on wasm-stock: replica threads choose their engine themselves, with the project's kernels.
    if (replicas > 1 && kind.spec && stock.length === 0) figures.push(...(await measureReplicas(kind, plan, seconds, replicas)));
  }
  const result: BackendResult = { label: stock.length > 0 ? 'wasm-stock' : engine.backend, engine, figures };
  if (process.argv.includes('--profile') && engine.backend !== 'cpu') result.profile = await profileCnnStep(engine.tfBackend);
  process.stdout.write(`RESULT ${JSON.stringify(result)}\n`);
}

/** The stock configs of the wasm kernels the project replaces (read before selectBackend replaces them). */
function stockWasmKernels(): tf.KernelConfig[] {
  require('@tensorflow/tfjs-backend-wasm');
  return WASM_KERNELS.map((k) => tf.getKernel(k, 'wasm')).filter((c): c is tf.KernelConfig => c != null);
}

/** Per-kernel CPU time of CNN training steps (batch 64), averaged per step. */
async function profileCnnStep(backend: string): Promise<KernelTime[]> {
  const kind = MODELS[0];
  const model = kind.build();
  model.compile({ optimizer: tf.train.adam(1e-3), loss: 'categoricalCrossentropy' });
  const [[x, y]] = await batches(kind, 64, 1);
  await model.trainOnBatch(x, y);
  const steps = 5;
  const times = await profileKernels(backend, async () => {
    for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  });
  return times.map((t) => ({ kernel: t.kernel, calls: t.calls / steps, cpuMs: round(t.cpuMs / steps, 2) }));
}

function median(values: number[]): number {
  return values[medianIndex(values)];
}

/** Index of the median value (the lower middle one for an even count). */
function medianIndex(values: number[]): number {
  const order = values.map((v, i) => [v, i]).sort((a, b) => a[0] - b[0]);
  return order[Math.floor((order.length - 1) / 2)][1];
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}

function runChild(label: string): BackendResult | string {
  const backend = label === 'wasm-stock' ? 'wasm' : label;
  const extra = label === 'wasm-stock' ? ['--stock-kernels'] : [];
  const args = ['-r', 'ts-node/register/transpile-only', __filename, '--child', ...extra, ...process.argv.slice(2)];
  try {
    const out = execFileSync(process.execPath, args, {
      cwd: ROOT,
      env: { ...process.env, DIGITS_BACKEND: backend },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const line = out.split('\n').find((l) => l.startsWith('RESULT '));
    return line != null ? (JSON.parse(line.slice(7)) as BackendResult) : 'no result';
  } catch (err) {
    const stderr = String((err as { stderr?: string }).stderr ?? (err as Error).message);
    return stderr.trim().split('\n')[0].replace(/^UserError: /, '');
  }
}

function printTable(results: BackendResult[]): void {
  const head = ['backend', 'threads', 'simd', 'model', 'phase', 'batch', 'images/run', 'img/s (median)', 'img/CPU-s', 'each run (img/s)'];
  const rows = results.flatMap((r) =>
    r.figures.map((f) => [r.label, r.engine.threads, r.engine.simd, f.model, f.phase, f.batchSize, f.images, f.imagesPerSecond, f.imagesPerCpuSecond, f.imagesPerSecondAll.join(' ')].map(String)),
  );
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  for (const row of [head, ...rows]) console.log(row.map((c, i) => c.padStart(widths[i])).join('  '));
  for (const r of results) {
    if (r.profile == null) continue;
    console.log(`\nCNN training step on ${r.label}, per-kernel CPU ms (batch 64, mean of 5 steps):`);
    const total = r.profile.reduce((s, k) => s + k.cpuMs, 0);
    for (const k of r.profile.slice(0, 15)) console.log(`  ${k.kernel.padEnd(24)} ${k.cpuMs.toFixed(2).padStart(8)}  x${k.calls}`);
    console.log(`  ${'total'.padEnd(24)} ${total.toFixed(2).padStart(8)}`);
  }
}

/** The models named by --models (comma-separated), or the default ones. */
function chosenModels(): ModelKind[] {
  const names = arg('models')?.split(',') ?? DEFAULT_MODELS;
  const unknown = names.filter((n) => !MODELS.some((m) => m.name === n));
  if (unknown.length) throw new Error(`--models ${unknown.join(',')}: no such model; use ${MODELS.map((m) => m.name).join(', ')}`);
  return MODELS.filter((m) => names.includes(m.name));
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) return child();
  const models = chosenModels(); // a misspelt --models fails here, before any backend is measured
  const replicas = arg('replicas');
  if (replicas !== undefined && !(Number.isInteger(Number(replicas)) && Number(replicas) >= 2 && Number(replicas) <= 16)) {
    throw new Error(`--replicas ${replicas}: use a whole number from 2 to 16`);
  }
  if (replicas !== undefined && !models.some((m) => m.spec)) {
    throw new Error(`--replicas measures ${MODELS.filter((m) => m.spec).map((m) => m.name).join(', ')} only; add it to --models`);
  }
  const wanted = (arg('backends') ?? 'node,wasm,wasm-stock,cpu').split(',');
  const loadBefore = os.loadavg()[0];
  const results: BackendResult[] = [];
  const unavailable: Record<string, string> = {};
  for (const backend of wanted) {
    console.error(`measuring ${backend} ...`);
    const r = runChild(backend);
    if (typeof r === 'string') unavailable[backend] = r;
    else results.push(r);
  }
  const loadAfter = os.loadavg()[0];
  printTable(results);
  for (const [b, why] of Object.entries(unavailable)) console.log(`${b}: not measured (${why})`);
  console.log(`\nload average ${loadBefore.toFixed(1)} -> ${loadAfter.toFixed(1)} on ${os.cpus().length} CPUs` +
    (loadAfter > os.cpus().length ? ': the machine was busy, wall-clock figures are low; img/CPU-s is the steadier figure' : ''));
  fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
  const record = { date: new Date().toISOString(), cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model, loadAverage: [loadBefore, loadAfter], results, unavailable };
  fs.writeFileSync(RESULTS, JSON.stringify(record, null, 2) + '\n');
  console.log(`wrote ${path.relative(ROOT, RESULTS)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
