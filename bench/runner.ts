/**
 * Runner benchmark, through the real `digits run` (dist/) on temporary databases:
 *   overhead: what a trial costs beyond its own training, on tiny trials with 1 worker:
 *     per trial  = (grid wall time - sum of the trials' train seconds) / trials  (start-up amortised)
 *     in-trial   = mean(ended_at - started_at - train seconds): data split, evaluation, artifacts, store writes
 *     between    = mean gap from one trial's end to the next one's start: IPC, claim, run creation
 *     start-up   = command start to the first trial's start (node, yargs, fork, backend, MNIST)
 *   speed-up: the same grid of small trials with --workers 1 and --workers 2, and as a ceiling
 *     that no runner can beat on this machine, two independent `digits run --workers 1` processes
 *     with half the trials each, at the same time.
 * The CPU is shared with other work: figures are noisy; the load average is recorded beside them.
 *   npm run bench:runner   (~2.5 min on 2 free cores: 8 trials of ~8 s; BENCH_SPEEDUP_TRIALS=4 BENCH_SPEEDUP_LIMIT=2000 for a quick look)
 * Also run by bench:tracking, which stores these figures under "runner".
 */
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../src/tracking/open';

const BIN = path.join(__dirname, '..', 'bin', 'digits.js');
const MNIST = path.resolve(__dirname, '../../shared/datasets/mnist');

interface GridTiming {
  trials: number;
  wallSeconds: number;
  trainSeconds: number;
  inTrialSeconds: number;
  betweenSeconds: number;
  startupSeconds: number;
}

export interface RunnerFigures {
  loadavg: number[];
  overhead: { trials: number; perTrialMs: number; inTrialMs: number; betweenTrialsMs: number; startupMs: number; goalMs: number };
  speedup: {
    trials: number; trainLimit: number; oneWorkerSeconds: number; twoWorkerSeconds: number; twoWorkerSpeedup: number;
    twoProcessesSeconds: number; twoProcessesSpeedup: number; goal: number;
  };
}

function experiment(dir: string, name: string, trials: number, trainLimit: number, tiny: boolean, firstSeed = 1): string {
  const file = path.join(dir, `${name}.yaml`);
  const model = tiny
    ? 'model: {kind: cnn, blocks: [{filters: 4, kernelSize: 3, convs: 1, padding: same, batchNorm: false, pool: 2, dropout: 0}], dense: [16]}'
    : 'model: {kind: cnn, blocks: [{filters: 16}, {filters: 32}], dense: [64]}';
  const seeds = Array.from({ length: trials }, (_, i) => i + firstSeed).join(', ');
  fs.writeFileSync(file, `name: ${name}\ndata: {trainLimit: ${trainLimit}, testLimit: ${tiny ? 200 : 1000}}\n${model}\ntrain: {epochs: 1}\ngrid: {seed: [${seeds}]}\n`);
  return file;
}

/** Runs `digits run` once and reads the timing of its runs back from the store. */
function timeGrid(dir: string, file: string, workers: number): GridTiming {
  const db = path.join(dir, `${path.basename(file, '.yaml')}-${workers}.sqlite`);
  const started = Date.now();
  const r = spawnSync(process.execPath, [BIN, 'run', file, '--workers', String(workers), '--db', db, '--no-report', '--data-dir', MNIST], { encoding: 'utf8' });
  const wallSeconds = (Date.now() - started) / 1000;
  if (r.status !== 0) throw new Error(`digits run ${file} exited ${r.status}:\n${r.stderr}`);
  const store = openStore(db, { mustExist: true });
  const runs = store.listRuns({ sort: 'id' }).sort((a, b) => (a.startedAt ?? '').localeCompare(b.startedAt ?? ''));
  store.close();
  const t = (iso: string | null) => Date.parse(iso ?? '') / 1000;
  const train = runs.map((run) => run.summary?.trainSeconds ?? 0);
  const inTrial = runs.map((run, i) => t(run.endedAt) - t(run.startedAt) - train[i]);
  const gaps = runs.slice(1).map((run, i) => t(run.startedAt) - t(runs[i].endedAt));
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
  return {
    trials: runs.length, wallSeconds, trainSeconds: train.reduce((a, b) => a + b, 0),
    inTrialSeconds: mean(inTrial), betweenSeconds: mean(gaps), startupSeconds: t(runs[0].startedAt) - started / 1000,
  };
}

/** Wall seconds of two `digits run --workers 1` processes running side by side, half the trials each. */
async function timeTwoProcesses(dir: string, trials: number, limit: number): Promise<number> {
  const half = Math.ceil(trials / 2);
  const files = [experiment(dir, 'half-a', half, limit, false), experiment(dir, 'half-b', trials - half, limit, false, half + 1)];
  const started = Date.now();
  await Promise.all(files.map((file, i) => new Promise<void>((resolve, reject) => {
    const args = [BIN, 'run', file, '--workers', '1', '--db', path.join(dir, `half-${i}.sqlite`), '--no-report', '--data-dir', MNIST];
    spawn(process.execPath, args, { stdio: 'ignore' }).on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`digits run ${file} exited ${code}`))));
  })));
  return (Date.now() - started) / 1000;
}

/** Measures runner overhead and the 2-worker speed-up. */
export async function benchRunner(): Promise<RunnerFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-bench-runner-'));
  try {
    const tinyTrials = Number(process.env.BENCH_OVERHEAD_TRIALS ?? 6);
    console.log(`runner overhead: ${tinyTrials} tiny trials, 1 worker ...`);
    const tiny = timeGrid(dir, experiment(dir, 'overhead', tinyTrials, 600, true), 1);
    const trials = Number(process.env.BENCH_SPEEDUP_TRIALS ?? 8);
    const limit = Number(process.env.BENCH_SPEEDUP_LIMIT ?? 8000);
    const file = experiment(dir, 'speedup', trials, limit, false);
    console.log(`speed-up: ${trials} trials of ${limit} images, 1 worker ...`);
    const one = timeGrid(dir, file, 1);
    console.log('speed-up: the same with 2 workers ...');
    const two = timeGrid(dir, file, 2);
    console.log('speed-up ceiling: two independent 1-worker processes, half the trials each ...');
    const twoProcesses = await timeTwoProcesses(dir, trials, limit);
    const ms = (s: number) => Math.round(s * 1000);
    return {
      loadavg: os.loadavg().map((x) => Math.round(x * 10) / 10),
      overhead: {
        trials: tiny.trials, perTrialMs: ms((tiny.wallSeconds - tiny.trainSeconds) / tiny.trials), inTrialMs: ms(tiny.inTrialSeconds),
        betweenTrialsMs: ms(tiny.betweenSeconds), startupMs: ms(tiny.startupSeconds), goalMs: 1000,
      },
      speedup: {
        trials, trainLimit: limit, oneWorkerSeconds: Math.round(one.wallSeconds * 10) / 10, twoWorkerSeconds: Math.round(two.wallSeconds * 10) / 10,
        twoWorkerSpeedup: Math.round((one.wallSeconds / two.wallSeconds) * 100) / 100,
        twoProcessesSeconds: Math.round(twoProcesses * 10) / 10, twoProcessesSpeedup: Math.round((one.wallSeconds / twoProcesses) * 100) / 100, goal: 1.8,
      },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) void main();

async function main(): Promise<void> {
  const figures = await benchRunner();
  fs.mkdirSync(path.join(__dirname, 'results'), { recursive: true });
  fs.writeFileSync(path.join(__dirname, 'results', 'runner.json'), `${JSON.stringify({ date: new Date().toISOString(), cpus: os.cpus().length, ...figures }, null, 2)}\n`);
  console.log(JSON.stringify(figures, null, 2));
}
