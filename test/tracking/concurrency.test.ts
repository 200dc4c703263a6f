import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import Database from 'better-sqlite3';
import path from 'node:path';
import { openStore } from '../../src/tracking/open';
import { epochs, evaluation, provenance, spec, summary, tempDir, tempStore } from './fixtures';

const child = path.join(__dirname, 'writer-child.ts');

function writer(file: string, label: string, count: number): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', child, file, label, String(count)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += d));
    p.on('close', (code) => resolve({ code, stderr }));
  });
}

/** A pid that surely belongs to no process: one that has just exited. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(r.stdout);
}

describe('tracking/store (several processes)', () => {
  describe('concurrent writers', () => {
    it('two processes writing at once into a new file: no "database is locked", all rows, integrity ok', async () => {
      const file = path.join(tempDir(), 'shared.sqlite');
      const [a, b] = await Promise.all([writer(file, 'a', 40), writer(file, 'b', 40)]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.doesNotMatch(a.stderr + b.stderr, /locked|busy/i);
      const store = openStore(file);
      const runs = store.listRuns();
      assert.equal(runs.length, 80);
      assert.ok(runs.every((r) => r.status === 'finished'));
      assert.deepEqual(runs.filter((r) => r.experiment === 'a').map((r) => store.history(r.id).length), new Array(40).fill(5));
      assert.equal(store.integrityCheck(), 'ok');
      store.close();
    });
  });

  describe('opening', () => {
    it('waits for another connection to let go before switching a new file to WAL (SQLite runs no busy handler for that switch)', async () => {
      const file = path.join(tempDir(), 'converting.sqlite');
      const holder = new Database(file); // a second process's connection, still in rollback-journal mode
      holder.exec('BEGIN IMMEDIATE;'); // a write lock on the new, empty file, as another digit-lab's while it creates the schema
      const open = JSON.stringify(path.resolve(__dirname, '../../src/tracking/open'));
      const script = `const { openStore } = require(${open}); process.stderr.write('opening\\n'); openStore(${JSON.stringify(file)}).close()`;
      const opener = spawn(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', script], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      opener.stderr.on('data', (d) => (stderr += d));
      const exited = new Promise<number | null>((resolve) => opener.on('close', resolve));
      // Past ts-node's start-up, into openStore, and then long enough that an opener that does not wait would have failed.
      for (const until = Date.now() + 60_000; !stderr.includes('opening') && opener.exitCode === null && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
      assert.match(stderr, /opening/, 'the opener reached openStore');
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(opener.exitCode, null, `the opener gave up while the other connection held its lock: ${stderr}`);
      holder.exec('COMMIT');
      holder.close();
      assert.equal(await exited, 0, stderr);
      const store = openStore(file);
      assert.equal(store.integrityCheck(), 'ok');
      store.close();
    });
  });

  describe('claimRun', () => {
    it('lets only one owner take a queued run', () => {
      const { store } = tempStore();
      const { id } = store.createRun({ experiment: 'e', name: 'n', trialHash: 'h', spec: spec(), seed: 1 });
      assert.equal(store.claimRun(id, { pid: process.pid, host: 'x' }), 1);
      assert.equal(store.claimRun(id, { pid: 12345, host: 'y' }), null);
      assert.equal(store.getRun(id)?.status, 'running');
      assert.equal(store.getRun(id)?.attempt, 1);
      store.close();
    });
  });

  describe('holdLease (fencing)', () => {
    it('a writer whose run was marked stale and claimed again (a newer attempt) cannot write; the new holder can', () => {
      const { store, file } = tempStore();
      const other = openStore(file); // a second process's connection
      const { id } = store.createRun({ experiment: 'e', name: 'n', trialHash: 'h', spec: spec(), seed: 1 });
      const first = store.claimRun(id, { pid: 1, host: 'a' }) as number;
      store.holdLease({ runId: id, attempt: first });
      store.startRun(id, provenance(), '/tmp/x');
      store.logEpochs(id, epochs(1));
      assert.deepEqual(other.markStaleRuns({ heartbeatSeconds: 60, now: new Date(Date.now() + 3_600_000) }), [id]);
      const second = other.claimRun(id, { pid: 2, host: 'b' }) as number;
      assert.equal(second, first + 1);
      other.holdLease({ runId: id, attempt: second });
      const before = JSON.stringify(other.getRun(id));
      for (const write of [
        () => store.heartbeat(id),
        () => store.logEpochs(id, epochs(1, 2)),
        () => store.startRun(id, provenance(999), '/tmp/stale'),
        () => store.setTags(id, { who: 'stale' }),
        () => store.finishRun(id, { summary: summary(0.5), validation: evaluation(0.5), test: evaluation(0.5) }),
        () => store.endRun(id, 'failed', 'stale'),
        () => store.underLease(id, () => assert.fail('ran under a lost lease')),
      ]) {
        assert.throws(write, (err: Error) => err.name === 'LeaseLostError' && /attempt 1/.test(err.message));
      }
      assert.equal(JSON.stringify(other.getRun(id)), before, 'the stale writer changed the row');
      assert.equal(other.history(id).length, 1);
      other.logEpochs(id, epochs(1, 2));
      other.finishRun(id, { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.9) });
      assert.equal(other.getRun(id)?.status, 'finished');
      assert.throws(() => other.heartbeat(id), /no longer held/, 'a finished run holds no lease');
      other.dropLease(id);
      store.close();
      other.close();
    });
  });

  describe('markStaleRuns', () => {
    it('interrupts a running run whose process is dead on this host, and leaves live ones', () => {
      const { store } = tempStore();
      const make = (name: string) => store.createRun({ experiment: 'e', name, trialHash: name, spec: spec(), seed: 1 }).id;
      const dead = make('dead');
      const alive = make('alive');
      const elsewhere = make('elsewhere');
      store.claimRun(dead, { pid: deadPid(), host: os.hostname() });
      store.startRun(alive, provenance(process.pid), '/tmp/x');
      store.claimRun(elsewhere, { pid: 1, host: 'another-machine' });
      assert.deepEqual(store.markStaleRuns({ heartbeatSeconds: 60 }), [dead]);
      const run = store.getRun(dead)!;
      assert.equal(run.status, 'interrupted');
      assert.match(run.error ?? '', /process \d+ .* is gone/);
      assert.equal(store.getRun(alive)?.status, 'running');
      assert.equal(store.getRun(elsewhere)?.status, 'running');
      store.close();
    });

    it('interrupts runs whose heartbeat is older than the limit, whatever the host', () => {
      const { store } = tempStore();
      const { id } = store.createRun({ experiment: 'e', name: 'n', trialHash: 'h', spec: spec(), seed: 1 });
      store.claimRun(id, { pid: 1, host: 'another-machine' });
      const later = new Date(Date.now() + 10 * 60_000);
      assert.deepEqual(store.markStaleRuns({ heartbeatSeconds: 700, now: later }), []);
      assert.deepEqual(store.markStaleRuns({ heartbeatSeconds: 300, now: later }), [id]);
      assert.match(store.getRun(id)?.error ?? '', /no heartbeat since/);
      assert.equal(store.claimRun(id, { pid: process.pid, host: os.hostname() }), 2, 'an interrupted run can be claimed again, as attempt 2');
      store.close();
    });
  });
});
