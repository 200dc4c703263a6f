import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { byHash, digits, readStore, startDigits, tinyGrid, waitForExit, type CliProcess } from './helpers';

/**
 * The runner end to end through the real CLI (dist/), real worker processes and real SQLite files:
 * crashes of a worker, of the runner, of both; Ctrl-C; failing trials; resume; --set.
 */
describe('runner', function () {
  this.timeout(120_000);
  let dir: string;
  const started: CliProcess[] = [];
  const start = (args: string[]) => {
    const p = startDigits(args);
    started.push(p);
    return p;
  };

  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-runner-'))));
  afterEach(() => {
    for (const p of started.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) process.kill(-(p.child.pid as number), 'SIGKILL');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** Every trial of the grid has exactly one run, finished; nothing is left running; the file is sound. */
  function assertAllFinishedOnce(db: string, trials: number): void {
    const { runs, integrity } = readStore(db);
    assert.equal(integrity, 'ok');
    const groups = byHash(runs);
    assert.equal(groups.size, trials, `runs: ${runs.map((r) => `${r.name}:${r.status}`).join(', ')}`);
    for (const [, group] of groups) {
      assert.deepEqual(group.map((r) => r.status), ['finished'], `${group[0].name}: ${group.map((r) => r.status).join(', ')}`);
    }
  }

  describe('runGrid (digits run)', () => {
    it('re-queues the trial of a worker killed mid-trial; every trial finishes exactly once', async () => {
      const db = path.join(dir, 'kill-worker.sqlite');
      const p = start(['run', tinyGrid(dir, 'kill-worker', [1, 2, 3, 4], 1500), '--workers', '2', '--db', db, '--no-report']);
      const [, pid] = await p.waitFor(/worker \d+ \(pid (\d+)\): starting "seed=1"/);
      process.kill(Number(pid), 'SIGKILL');
      const r = await p.done;
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, new RegExp(`pid ${pid}\\) was killed by SIGKILL; its trial "seed=1" was marked interrupted and re-queued`));
      assert.match(r.stderr, /resuming "seed=1"/);
      assertAllFinishedOnce(db, 4);
    });

    it('survives the runner being killed: workers stop, the next run resumes; a killed group leaves stale runs it marks', async () => {
      const db = path.join(dir, 'kill-runner.sqlite');
      const file = tinyGrid(dir, 'kill-runner', [1, 2, 3, 4], 1000);
      const args = ['run', file, '--workers', '2', '--db', db, '--no-report'];
      // 1. SIGKILL the runner alone: its workers see the IPC channel close and stop by themselves.
      const first = start(args);
      await first.waitFor(/finished "seed=\d"/);
      const pids = [...(await first.waitFor(/[\s\S]*/)).input!.matchAll(/pid (\d+)\) ready/g)].map((m) => Number(m[1]));
      first.child.kill('SIGKILL');
      for (const pid of pids) assert.ok(await waitForExit(pid, 20_000), `worker ${pid} outlived its runner`);
      // (A run claimed just before the kill, whose trial message never reached its worker, stays 'running': step 3 marks it.)
      // 2. SIGKILL runner and workers at once (the whole process group): runs stay 'running'.
      const second = start(args);
      await second.waitFor(/starting "seed=\d"/); // the run is claimed (running, the worker's pid) before this line
      process.kill(-(second.child.pid as number), 'SIGKILL');
      await second.done;
      const stuck = readStore(db).runs.filter((r) => r.status === 'running');
      assert.ok(stuck.length >= 1, 'a run killed with its worker is still marked running');
      // 3. The next run marks them interrupted (dead pids) and finishes the rest, each trial once.
      const third = await digits(args);
      assert.equal(third.code, 0, third.stderr);
      assert.match(third.stderr, /stale runs? marked interrupted/);
      assertAllFinishedOnce(db, 4);
      // 4. A finished grid only reports.
      const fourth = await digits(args);
      assert.equal(fourth.code, 0, fourth.stderr);
      assert.match(fourth.stdout, /4 of 4 trials already finished; nothing to run/);
      assert.equal(readStore(db).runs.length, 4);
    });

    it('stops on Ctrl-C after the current batch with exit 130, and resumes the interrupted run', async () => {
      const db = path.join(dir, 'sigint.sqlite');
      const args = ['run', tinyGrid(dir, 'sigint', [1, 2]), '--workers', '1', '--db', db, '--no-report'];
      const p = start(args);
      await p.waitFor(/starting "seed=1"/);
      p.child.kill('SIGINT');
      const r = await p.done;
      assert.equal(r.code, 130, r.stderr);
      assert.match(r.stdout, /run the same command again to resume/);
      const { runs } = readStore(db);
      assert.deepEqual(runs.map((run) => run.status), ['interrupted']);
      const again = await digits(args);
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, /resuming "seed=1" as run/);
      assertAllFinishedOnce(db, 2);
      assert.equal(readStore(db).runs[0].id, runs[0].id, 'the interrupted run was resumed, not duplicated');
    });

    it('goes on from the checkpoint of the last finished epoch after Ctrl-C, and ends as the run would have uninterrupted', async () => {
      const file = tinyGrid(dir, 'checkpoint', [1], 2000);
      const run = (db: string, runsDir: string) => ['run', file, '--workers', '1', '--db', db, '--runs-dir', runsDir, '--no-report', '--set', 'train.epochs=8'];
      const [db, runsDir] = [path.join(dir, 'checkpoint.sqlite'), path.join(dir, 'checkpoint-runs')];
      const p = start(run(db, runsDir));
      const [, runId] = await p.waitFor(/starting "[^"]+" as run (\S+)/);
      const checkpoint = path.join(runsDir, runId, 'checkpoint', 'checkpoint.json');
      for (const until = Date.now() + 60_000; !fs.existsSync(checkpoint) && Date.now() < until;) await new Promise((r) => setTimeout(r, 20));
      p.child.kill('SIGINT');
      assert.equal((await p.done).code, 130);
      const stopped = readStore(db).runs[0];
      assert.equal(stopped.status, 'interrupted');
      const again = await digits(run(db, runsDir));
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stderr, new RegExp(`goes on from its checkpoint: epoch [2-8] of 8 \\(run ${runId}\\)`));
      assertAllFinishedOnce(db, 1);
      assert.ok(!fs.existsSync(path.dirname(checkpoint)), 'a finished run keeps no checkpoint');
      // The same trial never stopped, in another database: the same numbers.
      const whole = await digits(run(path.join(dir, 'checkpoint-whole.sqlite'), path.join(dir, 'checkpoint-whole-runs')));
      assert.equal(whole.code, 0, whole.stderr);
      const [a, b] = [readStore(db).runs[0], readStore(path.join(dir, 'checkpoint-whole.sqlite')).runs[0]];
      assert.equal(a.summary?.epochs, 8);
      assert.deepEqual([a.validation?.accuracy, a.test?.accuracy, a.summary?.finalValLoss], [b.validation?.accuracy, b.test?.accuracy, b.summary?.finalValLoss]);
    });

    for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
      it(`stops on ${signal} (kill, timeout, a closed terminal) as on Ctrl-C: runs recorded interrupted, exit 130, resumable`, async () => {
        const db = path.join(dir, `${signal}.sqlite`);
        const args = ['run', tinyGrid(dir, signal.toLowerCase(), [1, 2]), '--workers', '1', '--db', db, '--no-report'];
        const p = start(args);
        await p.waitFor(/starting "seed=1"/);
        p.child.kill(signal);
        const r = await p.done;
        assert.equal(r.code, 130, r.stderr);
        assert.match(r.stdout, /run the same command again to resume/);
        assert.deepEqual(readStore(db).runs.map((run) => run.status), ['interrupted']);
        const again = await digits(args);
        assert.equal(again.code, 0, again.stderr);
        assertAllFinishedOnce(db, 2);
      });
    }

    it('shares a grid between two digits run of the same file at once: every trial trains once', async () => {
      const db = path.join(dir, 'shared.sqlite');
      const args = ['run', tinyGrid(dir, 'shared', [1, 2, 3, 4, 5, 6]), '--workers', '1', '--db', db, '--no-report'];
      const [a, b] = await Promise.all([digits(args), digits(args)]);
      assert.equal(a.code, 0, a.stderr);
      assert.equal(b.code, 0, b.stderr);
      assert.match(a.stderr + b.stderr, /skipped "seed=\d": (running in|finished by) another process/);
      assertAllFinishedOnce(db, 6);
    });

    it('records failing trials with their errors, finishes the others, combines ensembles, exits 1', async () => {
      const db = path.join(dir, 'ensembles.sqlite');
      const file = path.join(dir, 'ensembles.yaml');
      const block = '{filters: 4, kernelSize: 3, convs: 1, padding: same, batchNorm: false, pool: 2, dropout: 0}';
      fs.writeFileSync(file, [
        'name: ensembles',
        'data: {trainLimit: 600, testLimit: 200}',
        `model: {kind: cnn, blocks: [${block}], dense: [16]}`,
        'train: {epochs: 1, batchSize: 50}',
        'trials:',
        '  - name: a',
        '  - name: b',
        '    model: {dense: [24]}',
        '  - name: broken', // an empty validation split only shows when training starts
        '    data: {trainLimit: 5, validationFraction: 0.05}',
        '  - name: missing-run',
        '    model: {kind: ensemble, combine: average, members: [{run: nonexistent}, {trial: a}]}',
        '  - name: after-broken',
        '    model: {kind: ensemble, combine: vote, members: [{trial: a}, {trial: broken}]}',
        '  - name: weighted',
        `    model: {kind: ensemble, combine: weighted, members: [{trial: a}, {trial: b}, {spec: {kind: cnn, blocks: [${block}], dense: [8]}}]}`,
        '',
      ].join('\n'));
      const reports = path.join(dir, 'reports');
      const r = await digits(['run', file, '--workers', '2', '--db', db, '--report-dir', reports]);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /3 trials finished, 3 failed/);
      assert.match(r.stdout, /failed trials:\n {2}"broken" \(run \w+\): the validation split is empty/);
      assert.match(r.stdout, /"missing-run" \(run \w+\): member 0 \(run "nonexistent"\): no run with id "nonexistent"/);
      assert.match(r.stdout, /"after-broken" \(run \w+\): member trial "broken" failed/);
      const failedOrder = [...r.stdout.matchAll(/^ {2}"([^"]+)" \(run /gm)].map((m) => m[1]);
      assert.deepEqual(failedOrder, ['broken', 'missing-run', 'after-broken'], 'failures are listed in trial order, whichever ended first');
      assert.match(r.stdout, new RegExp(`report: ${reports.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/ensembles\\.html`));
      assert.match(r.stdout, /top 3 finished runs of ensembles by validation accuracy:\nrun +trial +val_acc +test_acc/);
      const { runs, integrity } = readStore(db);
      assert.equal(integrity, 'ok');
      const by = Object.fromEntries(runs.map((run) => [run.name, run]));
      assert.deepEqual(runs.map((run) => `${run.name}:${run.status}`).sort(),
        ['a:finished', 'after-broken:failed', 'b:finished', 'broken:failed', 'missing-run:failed', 'weighted:finished']);
      assert.match(by.broken.error ?? '', /validation split is empty/);
      const ensemble = by.weighted;
      assert.equal(ensemble.tags.ensemble_members, `${by.a.id},${by.b.id},inline`);
      assert.equal(ensemble.test?.count, 200);
      const members = JSON.parse(fs.readFileSync(path.join(ensemble.artifactDir!, 'members.json'), 'utf8'));
      assert.deepEqual(members.map((m: { runId: string | null }) => m.runId), [by.a.id, by.b.id, null]);
      const weights = members.map((m: { weight: number }) => m.weight);
      assert.ok(Math.abs(weights.reduce((x: number, y: number) => x + y, 0) - 1) < 1e-9 && new Set(weights).size > 1, `weights ${weights}`);
      for (const f of ['test-probs.bin', 'validation-probs.bin', 'metrics.json', 'members/2/model/model.json']) {
        assert.ok(fs.existsSync(path.join(ensemble.artifactDir!, f)), f);
      }
      // digits rerun: a new run of the same resolved spec and seed, tagged, with the same results.
      const again = await digits(['rerun', by.a.id, '--db', db]);
      assert.equal(again.code, 0, again.stderr);
      const rerun = readStore(db).runs.find((run) => run.tags.rerun_of === by.a.id);
      assert.ok(rerun, again.stdout);
      assert.equal(rerun.status, 'finished');
      assert.deepEqual(rerun.spec, by.a.spec);
      assert.equal(rerun.trialHash, by.a.trialHash);
      assert.equal(rerun.test?.accuracy, by.a.test?.accuracy);
    });

    it('applies --set overrides as new trials, and rejects bad ones with exit 2', async () => {
      const db = path.join(dir, 'set.sqlite');
      const file = tinyGrid(dir, 'set', [1, 2]);
      const plain = await digits(['run', file, '--db', db, '--dry-run']);
      const changed = await digits(['run', file, '--db', db, '--dry-run', '--set', 'train.batchSize=25']);
      assert.equal(changed.code, 0, changed.stderr);
      const hashes = (out: string) => [...out.matchAll(/to run +([0-9a-f]{16}) +seed=\d/g)].map((m) => m[1]);
      assert.equal(hashes(plain.stdout).length, 2);
      assert.equal(hashes(changed.stdout).length, 2);
      assert.equal(hashes(plain.stdout).filter((h) => hashes(changed.stdout).includes(h)).length, 0);
      const bad = await digits(['run', file, '--db', db, '--set', 'train.epochs=0', '--set', 'train.nope=1']);
      assert.equal(bad.code, 2);
      assert.match(bad.stderr, /train\.epochs/);
      assert.match(bad.stderr, /nope/);
      assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
      const workers = await digits(['run', file, '--db', db, '--workers', '0']);
      assert.equal(workers.code, 2);
      assert.match(workers.stderr, /--workers must be a whole number from 1 to 256, got 0/);
    });
  });
});
