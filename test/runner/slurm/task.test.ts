/**
 * The array task process (dist/runner/slurm/task.js) with Slurm's environment and real signals:
 * USR1 (time-limit warning) requeues through scontrol until the restarts are used up, then the
 * trial is recorded failed; TERM records it interrupted. A fake scontrol records the requeue.
 */
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadExperiment } from '../../../src/config';
import { writeManifest } from '../../../src/runner/slurm/manifest';
import { readJournal, replayJournal, type JournalState } from '../../../src/tracking';
import { MNIST, tinyGrid } from '../helpers';
import { installFakeSlurm, type FakeSlurm } from './fake-slurm';

const TASK = path.resolve(__dirname, '../../../dist/runner/slurm/task.js');

describe('runner/slurm/task', function () {
  this.timeout(120_000);
  let dir: string;
  let fake: FakeSlurm;
  let manifestFile: string;
  let journal: () => JournalState;
  const children: ChildProcess[] = [];
  /** Polls until `ready()` or `child` exits or a minute passes; true when ready. */
  async function until(ready: () => boolean, child: ChildProcess): Promise<boolean> {
    for (const end = Date.now() + 60_000; !ready() && child.exitCode === null && Date.now() < end;) await new Promise((r) => setTimeout(r, 20));
    return ready();
  }
  before(function () {
    if (!fs.existsSync(TASK)) {
      console.log('      skipped: dist/ is not built (npm run build)');
      this.skip();
    }
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-slurm-task-'));
    fake = installFakeSlurm(dir);
    const exp = loadExperiment(tinyGrid(dir, 'long', [1], 600), { overrides: ['train.epochs=500'] });
    const runsDir = path.join(dir, 'runs');
    manifestFile = path.join(runsDir, 'slurm', 'x', 'manifest.json');
    writeManifest(manifestFile, {
      version: 1, experiment: exp.name, runsDir, dataDir: MNIST, heartbeatSeconds: 30, maxRestarts: 1, timeLimit: '10',
      trials: [{ runId: 'r1', attempt: 1, trial: exp.trials[0] }], known: [],
    });
    journal = () => replayJournal(readJournal(path.join(runsDir, 'r1', 'journal.jsonl')));
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    fake.restorePath();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the task as restart `restart`, sends `signal` after its first epoch, resolves with its exit code. */
  async function runUntilSignal(restart: number, signal: NodeJS.Signals): Promise<number | null> {
    const child = spawn(process.execPath, [TASK, manifestFile, '0'], {
      env: { ...process.env, SLURM_ARRAY_JOB_ID: '55', SLURM_ARRAY_TASK_ID: '0', SLURM_RESTART_COUNT: String(restart) },
      stdio: 'ignore',
    });
    children.push(child);
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    assert.ok(await until(() => journal().owner?.restart === restart && journal().epochs.length > 0, child), `restart ${restart} logged no epoch (exit ${child.exitCode})`);
    child.kill(signal);
    return exited;
  }

  it('on USR1 stops after the batch, records why, and requeues itself; after the last restart records the trial failed', async () => {
    assert.equal(await runUntilSignal(0, 'SIGUSR1'), 0);
    assert.equal(journal().status, 'interrupted');
    assert.match(journal().error ?? '', /time limit \(10\) near; requeued \(restart 1 of 1\)/);
    assert.deepEqual(fake.calls().filter((c) => c[0] === 'scontrol'), [['scontrol', 'requeue', '55_0']]);

    assert.equal(await runUntilSignal(1, 'SIGUSR1'), 0);
    assert.equal(journal().status, 'failed');
    assert.match(journal().error ?? '', /reached the time limit \(10\) after 1 restart .*raise --time-limit/);
    assert.equal(fake.calls().filter((c) => c[0] === 'scontrol').length, 1);
  });

  it('a restart after USR1 goes on from the checkpoint of the last finished epoch and finishes the trial', async () => {
    const exp = loadExperiment(tinyGrid(dir, 'resumable', [1], 3000), { overrides: ['train.epochs=6'] }); // slack after the first checkpoint for the signal to arrive
    const runsDir = path.join(dir, 'runs');
    writeManifest(manifestFile, {
      version: 1, experiment: exp.name, runsDir, dataDir: MNIST, heartbeatSeconds: 30, maxRestarts: 1, timeLimit: '10',
      trials: [{ runId: 'r1', attempt: 1, trial: exp.trials[0] }], known: [],
    });
    const start = (restart: number) => {
      const child = spawn(process.execPath, [TASK, manifestFile, '0'], {
        env: { ...process.env, SLURM_ARRAY_JOB_ID: '55', SLURM_ARRAY_TASK_ID: '0', SLURM_RESTART_COUNT: String(restart) },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      children.push(child);
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      return { child, done: new Promise<{ code: number | null; out: string }>((resolve) => child.on('close', (code) => resolve({ code, out }))) };
    };
    const first = start(0);
    const checkpoint = path.join(runsDir, 'r1', 'checkpoint', 'checkpoint.json');
    assert.ok(await until(() => fs.existsSync(checkpoint), first.child), 'the first attempt wrote a checkpoint');
    first.child.kill('SIGUSR1');
    assert.equal((await first.done).code, 0);
    assert.equal(journal().status, 'interrupted');
    const second = await start(1).done;
    assert.equal(second.code, 0, second.out);
    assert.match(second.out, /going on from the run's checkpoint: epoch [2-6] of 6/);
    const state = journal();
    assert.equal(state.status, 'finished');
    assert.deepEqual(state.epochs.map((e) => e.epoch), [1, 2, 3, 4, 5, 6], 'every epoch once in the journal, the first attempt\'s too');
    const k = state.steps[0].step; // the step interval
    assert.deepEqual(state.steps.slice(0, -1).map((p) => p.step), state.steps.slice(0, -1).map((_, i) => (i + 1) * k), 'every step point from the first on');
    assert.equal(state.steps[state.steps.length - 1].epoch, 6);
    assert.ok((state.result?.calibration?.temperature ?? 0) > 0, 'the calibration travels in the journal, for the database');
    assert.equal(typeof state.result?.test.ece, 'number');
    assert.ok(!fs.existsSync(path.dirname(checkpoint)), 'the finished run keeps no checkpoint');
  });

  it('on TERM (node failure, preemption, scancel) records the run interrupted and does not requeue itself', async () => {
    assert.equal(await runUntilSignal(0, 'SIGTERM'), 0);
    const state = journal();
    assert.equal(state.status, 'interrupted');
    assert.match(state.error ?? '', /SIGTERM/);
    assert.equal(state.owner?.slurmJob, '55_0');
    assert.equal(fake.calls().filter((c) => c[0] === 'scontrol').length, 0);
  });
});
