/**
 * Throughput, latency and memory of the prediction server, run the way users run it
 * (`digits serve` in its own process): N concurrent clients POST real MNIST test digits as PNG
 * until a request count or a time limit is reached. Reports predictions/s, p50/p90/p99 latency, the
 * server's CPU time per prediction, and its RSS, JS heap and live tensors after each of BENCH_ROUNDS
 * identical rounds (memory growth: figures from round 1, growth judged from round 2 on). Writes
 * bench/results/serve.json.
 *   npm run build && npm run bench:serve
 * Env: BENCH_CLIENTS (8), BENCH_REQUESTS (10000), BENCH_SECONDS (60), BENCH_ROUNDS (5), BENCH_RUN (a run id of the
 * project's runs/; default: the reference CNN from the default spec, untrained: same cost per image).
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { encodeGrayPng } from '../src/data/image-png';
import { selectBackend } from '../src/engine';
import { referenceRun } from './reference-run';

const ROOT = path.resolve(__dirname, '..');
const CLIENTS = Number(process.env.BENCH_CLIENTS ?? 8);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 10_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 60);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const WARMUP = 500;
/** Growth of the live JS heap (MB, after a full collection) from round 2 to the last round that counts as none. */
const GROWTH_MB = 1;

/** The first `count` MNIST test digits as 28x28 grayscale PNGs (white on black, as in MNIST). */
function mnistPngs(count: number): Buffer[] {
  const dir = process.env.DIGITS_DATA_DIR ?? path.resolve(ROOT, '..', 'shared', 'datasets', 'mnist');
  const raw = zlib.gunzipSync(fs.readFileSync(path.join(dir, 't10k-images-idx3-ubyte.gz')));
  return Array.from({ length: count }, (_, i) => encodeGrayPng(raw.subarray(16 + i * 784, 16 + (i + 1) * 784), 28, 28));
}

/** Starts `digits serve` on a free port and resolves with its URL. */
function startServer(args: string[]): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--expose-gc', path.join(ROOT, 'bin', 'digits.js'), 'serve', '--port', '0', '--quiet', ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
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

/** The server's memory (MB; the JS heap after a full collection) and CPU time used so far (s), from /healthz. */
async function serverStats(url: string): Promise<{ rssMb: number; heapUsedMb: number; cpuSeconds: number; tensors: number }> {
  return (await fetch(`${url}/healthz?gc=1`)).json();
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
    const rounds: Array<Awaited<ReturnType<typeof load>> & { stats: Awaited<ReturnType<typeof serverStats>> }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const round = await load(url, images, CLIENTS, REQUESTS, SECONDS);
      rounds.push({ ...round, stats: await serverStats(url) });
    }
    const main = rounds[0];
    const cpuMsPerPrediction = ((main.stats.cpuSeconds - before.cpuSeconds) * 1000) / main.requests;
    // Growth once warm: the live heap (after a full collection) from the end of round 2 to the end
    // of the last round, and live tensors. RSS is reported too, but it also moves with when V8 and
    // malloc return memory, so it is not the criterion.
    const rss = rounds.map((r) => r.stats.rssMb);
    const heap = rounds.map((r) => r.stats.heapUsedMb);
    const laterGrowth = Math.round((heap[heap.length - 1] - heap[Math.min(1, heap.length - 1)]) * 10) / 10;
    const result = {
      date: new Date().toISOString(),
      model: process.env.BENCH_RUN ?? 'reference CNN of the default spec (untrained; same cost per image)',
      clients: CLIENTS,
      limits: { requests: REQUESTS, seconds: SECONDS, rounds: ROUNDS },
      requests: main.requests,
      errors: main.errors,
      seconds: Math.round(main.wallSeconds * 100) / 100,
      predictionsPerSec: Math.round(main.perSecond),
      latencyMs: { p50: main.p50, p90: main.p90, p99: main.p99, max: main.max },
      rounds: rounds.map((r, i) => ({
        round: i + 1, requests: r.requests, errors: r.errors, predictionsPerSec: Math.round(r.perSecond), p50: r.p50, p99: r.p99,
        serverRssMb: r.stats.rssMb, serverHeapUsedMb: r.stats.heapUsedMb, serverTensors: r.stats.tensors,
      })),
      serverHeapUsedMb: { before: before.heapUsedMb, afterEachRound: heap, growthAfterRound2: laterGrowth },
      serverRssMb: { before: before.rssMb, afterEachRound: rss },
      serverTensors: { before: before.tensors, afterEachRound: rounds.map((r) => r.stats.tensors) },
      // CPU the server spent per prediction: robust to other jobs on the machine. One free core
      // would then serve about 1000 / cpuMs predictions/s.
      serverCpuMsPerPrediction: Math.round(cpuMsPerPrediction * 1000) / 1000,
      predictionsPerSecPerFreeCore: Math.round(1000 / cpuMsPerPrediction),
      goals: {
        predictionsPerSec: main.perSecond >= 300,
        p99Under50ms: main.p99 < 50,
        noMemoryGrowth: ROUNDS >= 3 ? laterGrowth < GROWTH_MB && rounds.every((r) => r.stats.tensors === before.tensors) : null,
      },
      machine: { cpus: os.cpus().length, loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100) },
    };
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'serve.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log(
      `${result.requests} predictions (${result.errors} errors) in ${result.seconds} s with ${CLIENTS} clients: ` +
        `${result.predictionsPerSec}/s, latency p50 ${main.p50} ms, p90 ${main.p90} ms, p99 ${main.p99} ms; ` +
        `server CPU ${result.serverCpuMsPerPrediction} ms a prediction (~${result.predictionsPerSecPerFreeCore}/s per free core)`,
    );
    for (const r of result.rounds) {
      console.log(`  round ${r.round}: ${r.predictionsPerSec}/s, p50 ${r.p50} ms, p99 ${r.p99} ms; server RSS ${r.serverRssMb} MB, heap used ${r.serverHeapUsedMb} MB, tensors ${r.serverTensors}`);
    }
    console.log(`live JS heap ${before.heapUsedMb} MB before; growth from round 2 to round ${ROUNDS}: ${laterGrowth} MB (none if < ${GROWTH_MB} MB and tensors stay ${before.tensors}); load average ${result.machine.loadAverage.join(', ')}`);
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
