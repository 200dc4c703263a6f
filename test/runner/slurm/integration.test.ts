/**
 * `digits run --executor slurm` on a real Slurm (two nodes on 127.0.0.1; see cluster.ts): a 4-trial
 * grid, one node set down mid-trial (its task is requeued by Slurm and resumes), one task cancelled
 * (interrupted), then `digits run` again: every trial finished exactly once.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readManifest, type Manifest } from '../../../src/runner/slurm/manifest';
import { readJournal, replayJournal } from '../../../src/tracking';
import { byHash, readStore, startDigits, tinyGrid } from '../helpers';
import { startCluster, type Cluster } from './cluster';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, timeoutMs: number, probe: () => T | null | undefined | false): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const got = probe();
    if (got) return got;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(250);
  }
}

describe('runner/slurm (real Slurm)', function () {
  this.timeout(240_000);
  let cluster: Cluster | string;
  let dir: string;
  before(function () {
    cluster = startCluster();
    if (typeof cluster === 'string') {
      console.log(`      skipped: ${cluster}`);
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-slurm-it-'));
  });
  after(() => {
    if (typeof cluster === 'object') cluster.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('survives a node failure and a cancelled task; a second digits run finishes the grid, each trial once', async () => {
    const c = cluster as Cluster;
    const env = { ...c.env, DIGITS_SLURM_POLL_SECONDS: '0.5' };
    const slurm = (...args: string[]) => execFileSync(args[0], args.slice(1), { env: { ...process.env, ...c.env }, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const file = tinyGrid(dir, 'sgrid', [1, 2, 3, 4], 1200);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('epochs: 1', 'epochs: 6'));
    const db = path.join(dir, 'runs', 'digits.sqlite');
    // Run folders (and the Slurm manifests) go to the runs folder, which does not follow --db: name it.
    const args = ['run', file, '--executor', 'slurm', '--db', db, '--runs-dir', path.join(dir, 'runs'), '--report-dir', path.join(dir, 'reports')];
    const first = startDigits(args, env);
    const job = (await first.waitFor(/submitted 4 tasks as Slurm job (\d+)/, 60_000))[1];
    const manifest = await until('the manifest', 10_000, () => {
      const sub = fs.readdirSync(path.join(dir, 'runs', 'slurm'))[0];
      const f = sub && path.join(dir, 'runs', 'slurm', sub, 'manifest.json');
      return f && fs.existsSync(f) ? readManifest(f) : null;
    });
    const journal = (m: Manifest, i: number) => replayJournal(readJournal(path.join(m.runsDir, m.trials[i].runId, 'journal.jsonl')));
    // Both nodes busy with tasks 0 and 1, each past its first epoch.
    await until('tasks 0 and 1 training', 90_000, () => journal(manifest, 0).epochs.length > 0 && journal(manifest, 1).epochs.length > 0);
    const nodeOf0 = JSON.parse(slurm('squeue', '--json')).jobs.find((j: { array_task_id: number; array_job_id: number }) => j.array_job_id === Number(job) && j.array_task_id === 0).nodes as string;
    slurm('scontrol', 'update', `nodename=${nodeOf0}`, 'state=down', 'reason=test');
    slurm('scancel', `${job}_1`);
    await until('task 0 requeued by Slurm', 60_000, () => journal(manifest, 0).status === 'interrupted');
    try {
      slurm('scontrol', 'update', `nodename=${nodeOf0}`, 'state=resume');
    } catch {
      // ReturnToService=2 may have put it back already when its slurmd registered again
    }
    await until(`${nodeOf0} back in service`, 30_000, () => !/down/.test(slurm('sinfo', '-h', '-N', '-n', nodeOf0, '-o', '%t')));
    // A requeued task waits ~121 s (BeginTime); start it now.
    await until('task 0 started again', 90_000, () => {
      try {
        slurm('scontrol', 'update', `jobid=${job}_0`, 'StartTime=now');
      } catch {
        // not pending yet (still completing on the downed node)
      }
      return journal(manifest, 0).owner?.restart === 1;
    });
    const r1 = await first.done;
    assert.equal(r1.code, 1, r1.stderr + r1.stdout);
    assert.match(r1.stdout, /3 trials finished, 0 failed, 1 interrupted/);
    assert.equal(journal(manifest, 1).status, 'interrupted');
    assert.match(journal(manifest, 1).error ?? '', /SIGTERM/);

    const r2 = await startDigits(args, env).done;
    assert.equal(r2.code, 0, r2.stderr + r2.stdout);
    assert.match(r2.stderr, /submitted 1 task as Slurm job/);
    assert.match(r2.stdout, /1 trial finished, 0 failed, 0 interrupted, 3 had finished before/);
    const { runs, integrity } = readStore(db);
    assert.equal(integrity, 'ok');
    assert.equal(runs.length, 4);
    for (const [hash, group] of byHash(runs)) assert.deepEqual(group.map((r) => r.status), ['finished'], `trial ${hash}`);
    const requeued = runs.find((r) => r.id === manifest.trials[0].runId);
    assert.equal(requeued?.tags.restarts, '1');
    const resubmitted = runs.find((r) => r.id === manifest.trials[1].runId);
    assert.equal(resubmitted?.tags.attempt, '2');
    assert.ok(fs.existsSync(path.join(dir, 'reports', 'sgrid.html')));
  });

  it('records a trial that reaches its time limit failed, with the reason, once its restarts are used up', async () => {
    const c = cluster as Cluster;
    const file = tinyGrid(dir, 'slow', [7], 1200);
    // One minute per task, the warning 50 s before it, no restart: the task fails about 10 s in.
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('epochs: 1', 'epochs: 5000') + 'executor: {kind: slurm, timeLimit: "1", graceSeconds: 50, maxRestarts: 0}\n');
    const db = path.join(dir, 'runs-slow', 'digits.sqlite');
    const r = await startDigits(['run', file, '--db', db, '--no-report'], { ...c.env, DIGITS_SLURM_POLL_SECONDS: '0.5' }).done;
    assert.equal(r.code, 1, r.stderr + r.stdout);
    assert.match(r.stdout, /0 trials finished, 1 failed/);
    assert.match(r.stdout, /reached the time limit \(1\) after 0 restarts/);
    const { runs, integrity } = readStore(db);
    assert.equal(integrity, 'ok');
    assert.deepEqual(runs.map((x) => x.status), ['failed']);
  });
});
