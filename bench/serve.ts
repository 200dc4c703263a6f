/**
 * Throughput, latency and memory of the prediction server, run the way users run it
 * (`digits serve` in its own process): N concurrent clients POST real MNIST test digits as PNG
 * until a request count or a time limit is reached. Reports predictions/s, p50/p90/p99 latency, the
 * server's CPU time per prediction, and its RSS and live tensors before, after that round and after
 * a second identical round (memory growth). Writes bench/results/serve.json.
 *   npm run build && npm run bench:serve
 * Env: BENCH_CLIENTS (8), BENCH_REQUESTS (10000), BENCH_SECONDS (60), BENCH_RUN (a run id of the
 * project's runs/; default: the reference CNN from the default spec, untrained: same cost per image).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { defaultRunSpec } from '../src/config/defaults';
import type { CnnSpec } from '../src/config/types';
import { encodeGrayPng } from '../src/data/image-png';
import { selectBackend } from '../src/engine';
import { saveModel } from '../src/models/io';
import { buildModel } from '../src/models/registry';

const ROOT = path.resolve(__dirname, '..');
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const WARMUP = 500;

/** The first `count` MNIST test digits as 28x28 grayscale PNGs (white on black, as in MNIST). */
function mnistPngs(count: number): Buffer[] {
  const dir = process.env.DIGITS_DATA_DIR ?? path.resolve(ROOT, '..', 'shared', 'datasets', 'mnist');
  const raw = zlib.gunzipSync(fs.readFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz')));
  return Array.from({ length: count }, (_, i) => encodeGrayPng(raw.subarray(16 + i * 784, 16 + (i + 1) * 784), 28, 28));
}

/** A run folder holding the reference CNN of the default spec (untrained weights). */
async function referenceRun(runsDir: string): Promise<string> {
  const id = 'bench-reference-cnn';
  const model = buildModel(defaultRunSpec().model as CnnSpec);
  await saveModel(model, path.join(runsDir, id, 'model'));
  model.dispose();
  fs.writeFileSync(path.join(runsDir, id, 'metrics.json'), JSON.stringify({ status: 'finished', name: 'reference CNN (untrained, timing only)' }));
  return id;
}

/** Starts `digits serve` on a free port and resolves with its URL. */
function startServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'digits.js'), 'serve', '--port', '0', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /serving (http:\/\/[^\s]+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.on('exit', (code) => reject(new Error(`digits serve exited with ${code}: ${out}`)));
  });
}

/** The server's resident memory (MB) and CPU time used so far (s), from /healthz. */
async function serverStats(url: string): Promise<{ rssMb: number; cpuSeconds: number; tensors: number }> {
  return (await fetch(`${url}/healthz`)).json();
}

/** Runs `clients` loops posting images until `count` requests or `seconds` have passed. */
async function load(url: string, images: Buffer[], clients: number, count: number, seconds: number) {
  const latencies: number[] = [];
  let sent = 0;
  let errors = 0;
  const deadline = Date.now() + seconds * 1000;
  const start = process.hrtime.bigint();
  const client = async () => {
    while (sent < count && Date.now() < deadline) {
      const body = images[sent++ % images.length];
      const t = process.hrtime.bigint();
      const res = await fetch(`${url}/api/predict`, { method: 'POST', body: new Uint8Array(body), headers: { 'content-type': 'image/png' } });
      await res.arrayBuffer();
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
      if (res.status !== 200) errors++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  const wallSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  latencies.sort((a, b) => a - b);
  const at = (q: number) => Math.round(latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] * 100) / 100;
  return { requests: latencies.length, errors, wallSeconds, perSecond: latencies.length / wallSeconds, p50: at(0.5), p90: at(0.9), p99: at(0.99), max: at(1) };
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
  await selectBackend();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-bench-serve-'));
  const runArgs = process.env.BENCH_RUN ? ['--run', process.env.BENCH_RUN] : ['--runs-dir', tmp, '--run', await referenceRun(tmp)];
  const images = mnistPngs(1000);
  const { child, url } = await startServer(runArgs);
  try {
    await load(url, images, CLIENTS, WARMUP, 60); // loads the model, warms caches and the JIT
    const before = await serverStats(url);
    const main = await load(url, images, CLIENTS, REQUESTS, SECONDS);
    const after = await serverStats(url);
    // A second round, only to see whether memory keeps growing once everything is warm.
    await load(url, images, CLIENTS, REQUESTS, SECONDS);
    const after2 = await serverStats(url);
    const [rssBefore, rssAfter] = [before.rssMb, after.rssMb];
    const cpuMsPerPrediction = ((after.cpuSeconds - before.cpuSeconds) * 1000) / main.requests;
    const result = {
      date: new Date().toISOString(),
      model: process.env.BENCH_RUN ?? 'reference CNN of the default spec (untrained; same cost per image)',
      clients: CLIENTS,
      limits: { requests: REQUESTS, seconds: SECONDS },
      requests: main.requests,
      errors: main.errors,
      seconds: Math.round(main.wallSeconds * 100) / 100,
      predictionsPerSec: Math.round(main.perSecond),
      latencyMs: { p50: main.p50, p90: main.p90, p99: main.p99, max: main.max },
      serverRssMb: { before: rssBefore, afterRound1: rssAfter, afterRound2: after2.rssMb, growthRound1: rssAfter - rssBefore, growthRound2: after2.rssMb - rssAfter },
      serverTensors: { before: before.tensors, afterRound1: after.tensors, afterRound2: after2.tensors },
      // CPU the server spent per prediction: robust to other jobs on the machine. One free core
      // would then serve about 1000 / cpuMs predictions/s.
      serverCpuMsPerPrediction: Math.round(cpuMsPerPrediction * 1000) / 1000,
      predictionsPerSecPerFreeCore: Math.round(1000 / cpuMsPerPrediction),
      goals: { predictionsPerSec: main.perSecond >= 300, p99Under50ms: main.p99 < 50 },
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100), note: 'CPU shared with other jobs: figures are noisy' },
    };
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'serve.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `${result.requests} predictions (${result.errors} errors) in ${result.seconds} s with ${CLIENTS} clients: ` +
        `${result.predictionsPerSec}/s, latency p50 ${main.p50} ms, p90 ${main.p90} ms, p99 ${main.p99} ms; ` +
        `server RSS ${rssBefore} -> ${rssAfter} -> ${after2.rssMb} MB (after a second round), tensors ${before.tensors} -> ${after.tensors} -> ${after2.tensors}; server CPU ${result.serverCpuMsPerPrediction} ms a prediction ` +
        `(~${result.predictionsPerSecPerFreeCore}/s per free core); load average ${result.machine.loadAverage.join(', ')}`,
    );
    console.log('wrote bench/results/serve.json');
  } finally {
    child.kill('SIGINT');
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
