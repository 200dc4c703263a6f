import { strict as assert } from 'node:assert';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/tracking/open';
import { readStore, startDigits, tinyGrid, type CliProcess } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every file under `dir` (relative path -> sha256), to see whether anything wrote there. */
function snapshotFolder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath ?? (entry as unknown as { path: string }).path, entry.name);
    out[path.relative(dir, file)] = crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex');
  }
  return out;
}

/** The run's row and metric history as the database holds them. */
function snapshotRun(db: string, id: string): string {
  const store = openStore(db, { mustExist: true });
  try {
    return JSON.stringify({ run: store.getRun(id), history: store.history(id) });
  } finally {
    store.close();
  }
}

/**
 * Leases with attempts (fencing), end to end through the real CLI, real worker processes, signals
 * and SQLite: a runner stalled past the stale limit loses its run to a second runner and, once it
 * wakes up, stops without writing anything.
 */
describe('runner leases', function () {
  this.timeout(180_000);
  let dir: string;
  const started: CliProcess[] = [];
  const start = (args: string[], env: Record<string, string> = {}) => {
    const p = startDigits(args, env);
    started.push(p);
    return p;
  };

  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-leases-'))));
  afterEach(() => {
    for (const p of started.splice(0)) {
      if (p.child.exitCode !== null || p.child.signalCode !== null) continue;
      try {
        process.kill(-(p.child.pid as number), 'SIGCONT');
        process.kill(-(p.child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
    }
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('fencing (attempt numbers)', () => {
    it('a runner stopped (SIGSTOP) until its run is stale loses it to a second runner; woken up (SIGCONT), it stops without writing', async () => {
      const db = path.join(dir, 'fencing.sqlite');
      const file = tinyGrid(dir, 'fencing', [1], 4000);
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('epochs: 1', 'epochs: 3'));
      const args = ['run', file, '--workers', '1', '--db', db, '--no-report'];
      const env = { DIGITS_STALE_AFTER_SECONDS: '2' };
      const first = start(args, env);
      const [, firstWorker, runId] = await first.waitFor(/worker 1 \(pid (\d+)\): starting "seed=1" as run (\S+)/);
      await sleep(1500); // training
      process.kill(-(first.child.pid as number), 'SIGSTOP');
      await sleep(3500); // its heartbeat is now older than the 2 s stale limit

      const second = start(args, env);
      const [, secondWorker] = await second.waitFor(/worker 1 \(pid (\d+)\): resuming "seed=1" as run (\S+)/);
      const survivor = await second.done;
      assert.equal(survivor.code, 0, survivor.stderr);
      assert.match(survivor.stderr, /stale runs? marked interrupted/);
      const row = readStore(db).runs;
      assert.deepEqual(row.map((r) => [r.id, r.status, r.attempt]), [[runId, 'finished', 2]]);
      assert.equal(row[0].provenance?.pid, Number(secondWorker), 'the row is the survivor\'s');
      const runDir = row[0].artifactDir as string;
      const rowBefore = snapshotRun(db, runId);
      const filesBefore = snapshotFolder(runDir);
      assert.ok(filesBefore['metrics.json'] && filesBefore['model/model.json'], Object.keys(filesBefore).join(', '));

      process.kill(-(first.child.pid as number), 'SIGCONT');
      const stalled = await first.done;
      assert.equal(stalled.code, 0, stalled.stderr);
      assert.match(stalled.stderr, /"seed=1": taken over by another process/);
      assert.match(stalled.stderr, /skipped "seed=1": finished by another process/);
      assert.doesNotMatch(stalled.stderr, /finished "seed=1"/);
      assert.notEqual(firstWorker, secondWorker);
      assert.equal(snapshotRun(db, runId), rowBefore, 'the stalled runner wrote to the row or its history');
      assert.deepEqual(snapshotFolder(runDir), filesBefore, 'the stalled runner wrote to the run folder');
      assert.deepEqual(fs.readdirSync(runDir).filter((f) => /staging|\.tmp$/.test(f)), []);
      assert.equal(readStore(db).integrity, 'ok');
    });
  });

  describe('orphaned trials', () => {
    it('two runners of one file, one SIGKILLed with its workers mid-trial: the survivor notices the dead lease and finishes that trial', async () => {
      const db = path.join(dir, 'orphan.sqlite');
      const file = tinyGrid(dir, 'orphan', [1, 2], 4000);
      // 80,000 images a trial (about 10 s on an idle core), so the victim is still mid-trial when it is killed.
      fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('epochs: 1', 'epochs: 20'));
      const args = ['run', file, '--workers', '1', '--db', db, '--no-report'];
      const env = { DIGITS_STALE_AFTER_SECONDS: '10' };
      const victim = start(args, env);
      const [, orphan, orphanRun] = await victim.waitFor(/starting "(seed=\d)" as run (\S+)/);
      const survivor = start(args, env);
      await survivor.waitFor(/starting "seed=\d" as run/);
      await sleep(1000);
      process.kill(-(victim.child.pid as number), 'SIGKILL');
      await victim.done;
      assert.equal(readStore(db).runs.find((r) => r.id === orphanRun)?.status, 'running', 'the killed runner left its run running');
      const r = await survivor.done;
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /1 running in another process/);
      assert.match(r.stderr, new RegExp(`resuming "${orphan}" as run ${orphanRun}`));
      assert.doesNotMatch(r.stdout, /skipped, running in another process/);
      assert.match(r.stderr, /\[2\/2 done, 0 failed, 0 left/);
      const { runs, integrity } = readStore(db);
      assert.equal(integrity, 'ok');
      assert.deepEqual(runs.map((run) => run.status), ['finished', 'finished'], runs.map((run) => `${run.name}:${run.status}`).join(', '));
      assert.equal(runs.find((run) => run.id === orphanRun)?.attempt, 2);
    });
  });
});
