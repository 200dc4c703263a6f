/**
 * Slurm executor benchmark (figures to bench/results/slurm.json):
 *   import: journals of 1,000 runs x 30 epochs (started, 30 epochs, artifacts, finished each) applied
 *     to a fresh SQLite store by importJournals, then a second import with nothing new (the cheap
 *     path every query command takes), then a forced one (what the coordinator does while watching).
 *   latency (needs Slurm: SLURM_CONF, or root and Debian's packages for a private two-node cluster):
 *     a grid of tiny trials through the compiled coordinator (dist/), poll 0.5 s:
 *       submit-to-first-epoch = first epoch event in any journal - the moment sbatch returned
 *       submit-to-task-start  = first 'started' event - the moment sbatch returned
 *       coordinator overhead  = the coordinator's CPU (its own + squeue/sbatch children) / trials
 *       end detection         = coordinator returned - last trial's 'finished' event
 *   npm run bench:slurm    (BENCH_SLURM_TRIALS=8, BENCH_IMPORT_RUNS=1000)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

// The compiled code: tasks then run dist/runner/slurm/task.js, as in real use (npm run build first).
/* eslint-disable @typescript-eslint/no-var-requires */
const dist = path.join(__dirname, '..', 'dist');
const tracking = require(path.join(dist, 'tracking')) as typeof import('../src/tracking');
const runner = require(path.join(dist, 'runner')) as typeof import('../src/runner');
const config = require(path.join(dist, 'config')) as typeof import('../src/config');

const MNIST = path.resolve(__dirname, '../../shared/datasets/mnist');
const TICK = 100; // clock ticks per second of /proc/self/stat on Linux

function cpuSeconds(): number {
  const own = process.cpuUsage();
  const f = fs.readFileSync('/proc/self/stat', 'utf8').slice(fs.readFileSync('/proc/self/stat', 'utf8').lastIndexOf(')') + 2).split(' ');
  const children = (Number(f[13]) + Number(f[14])) / TICK; // cutime, cstime: waited-for children (sbatch, squeue)
  return (own.user + own.system) / 1e6 + children;
}

function importBench(runsCount: number, epochsPerRun: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-bench-import-'));
  try {
    const store = tracking.openStore(path.join(dir, 'digits.sqlite'));
    const runsDir = path.join(dir, 'runs');
    const exp = config.loadExperiment(writeGrid(dir, 'imp', 1, 600));
    const spec = exp.trials[0].spec;
    const t0 = performance.now();
    const ids: string[] = [];
    for (let i = 0; i < runsCount; i++) ids.push(store.createRun({ experiment: 'imp', name: `t${i}`, trialHash: `h${i}`, spec, seed: i }).id);
    const created = performance.now() - t0;
    const prov = { backend: 'wasm', versions: {}, gitCommit: null, gitDirty: null, lockfileHash: null, dataHash: null, host: 'node1', pid: 1 };
    const evaluation = {
      count: 1000, accuracy: 0.9, loss: 0.3, macro: { precision: 0.9, recall: 0.9, f1: 0.9 },
      perClass: Array.from({ length: 10 }, (_, label) => ({ label, precision: 0.9, recall: 0.9, f1: 0.9, support: 100 })),
      confusion: Array.from({ length: 10 }, () => Array(10).fill(10) as number[]),
    };
    const summary = { epochs: epochsPerRun, bestEpoch: epochsPerRun, bestValAccuracy: 0.9, bestValLoss: 0.3, finalValAccuracy: 0.9, finalValLoss: 0.3, trainSeconds: 60, imagesPerSec: 700, peakRssMb: 200 };
    const w0 = performance.now();
    for (const id of ids) {
      const j = new tracking.JournalStore(runsDir, id, { attempt: 1, restart: 0, host: 'node1', pid: 1, slurmJob: '1_0' });
      j.startRun(id, prov, path.join(runsDir, id));
      for (let e = 1; e <= epochsPerRun; e++) j.logEpochs(id, [{ epoch: e, loss: 0.3, accuracy: 0.9, valLoss: 0.3, valAccuracy: 0.9, learningRate: 0.001, imagesPerSec: 700, seconds: 2 }]);
      j.finishRun(id, { summary, validation: evaluation, test: evaluation });
    }
    const writeMs = performance.now() - w0;
    const i0 = performance.now();
    const first = tracking.importJournals(store, runsDir);
    const importMs = performance.now() - i0;
    const finished = store.listRuns({ status: ['finished'] }).length;
    const n0 = performance.now();
    tracking.importJournals(store, runsDir);
    const nothingNewMs = performance.now() - n0;
    store.close();
    const bytes = ids.reduce((s, id) => s + fs.statSync(path.join(runsDir, id, 'journal.jsonl')).size, 0);
    return { runs: runsCount, epochsPerRun, journalMb: +(bytes / 1e6).toFixed(1), createRunsMs: Math.round(created), writeJournalsMs: Math.round(writeMs), importMs: Math.round(importMs), imported: first.imported.length, finishedAfter: finished, nothingNewMs: +nothingNewMs.toFixed(1) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function writeGrid(dir: string, name: string, trials: number, trainLimit: number): string {
  const file = path.join(dir, `${name}.yaml`);
  const seeds = Array.from({ length: trials }, (_, i) => i + 1).join(', ');
  fs.writeFileSync(file, `name: ${name}\ndata: {trainLimit: ${trainLimit}, testLimit: 200}\n` +
    'model: {kind: cnn, blocks: [{filters: 4, kernelSize: 3, convs: 1, padding: same, batchNorm: false, pool: 2, dropout: 0}], dense: [16]}\n' +
    `train: {epochs: 2, batchSize: 50}\ngrid: {seed: [${seeds}]}\n`);
  return file;
}

/** SLURM_CONF if set, else a private cluster from scripts/slurm/start.sh; null with the reason when neither works. */
function cluster(): { stop: () => void } | string {
  if (process.env.SLURM_CONF) return { stop: () => undefined };
  if (process.getuid?.() !== 0) return 'no SLURM_CONF and not root (a private Slurm needs root)';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-bench-slurm-'));
  const scripts = path.join(__dirname, '..', 'scripts', 'slurm');
  const r = spawnSync('bash', [path.join(scripts, 'start.sh'), dir], { encoding: 'utf8' });
  if (r.status !== 0) return `scripts/slurm/start.sh failed: ${r.stderr.trim()}`;
  process.env.SLURM_CONF = path.join(dir, 'slurm.conf');
  return { stop: () => void spawnSync('bash', [path.join(scripts, 'stop.sh'), dir]) };
}

async function latencyBench(trials: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-bench-slurm-grid-'));
  try {
    const exp = config.loadExperiment(writeGrid(dir, 'lat', trials, 600));
    const runsDir = path.join(dir, 'runs');
    let submittedAt = 0;
    const cpu0 = cpuSeconds();
    const t0 = Date.now();
    const result = await runner.runSlurmGrid({
      experiment: exp.name, trials: exp.trials, dbFile: path.join(runsDir, 'digits.sqlite'), runsDir, dataDir: MNIST, settings: {}, pollSeconds: 0.5,
      onEvent: (e) => {
        if (e.type === 'notice' && e.message.startsWith('submitted')) submittedAt = Date.now();
      },
    });
    const returned = Date.now();
    const cpu = cpuSeconds() - cpu0;
    const events = fs.readdirSync(runsDir).filter((d) => fs.existsSync(path.join(runsDir, d, 'journal.jsonl'))).flatMap((d) => tracking.readJournal(path.join(runsDir, d, 'journal.jsonl')));
    const at = (type: string) => events.filter((e) => e.type === type).map((e) => Date.parse(e.at));
    return {
      trials, nodes: 2, finished: result.results.filter((r) => r.status === 'finished').length,
      planAndSubmitMs: submittedAt - t0,
      submitToTaskStartMs: Math.min(...at('started')) - submittedAt,
      submitToFirstEpochMs: Math.min(...at('epoch')) - submittedAt,
      gridWallSeconds: +((returned - t0) / 1000).toFixed(1),
      coordinatorCpuMsPerTrial: Math.round((cpu * 1000) / trials),
      endDetectionMs: returned - Math.max(...at('finished')),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const out: Record<string, unknown> = { date: new Date().toISOString(), host: os.hostname(), loadavg: os.loadavg().map((l) => +l.toFixed(2)) };
  out.import = importBench(Number(process.env.BENCH_IMPORT_RUNS ?? 1000), 30);
  console.log('import:', out.import);
  const c = cluster();
  if (typeof c === 'string') {
    out.latency = { skipped: c };
    console.log(`latency: skipped: ${c}`);
  } else {
    try {
      out.latency = await latencyBench(Number(process.env.BENCH_SLURM_TRIALS ?? 8));
      console.log('latency:', out.latency);
    } finally {
      c.stop();
    }
  }
  const file = path.join(__dirname, 'results', 'slurm.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(out, null, 2) + '\n');
  console.log(`written: ${path.relative(process.cwd(), file)}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
