/** The Slurm coordinator against fake Slurm commands: what it submits, how it reads progress, re-attaching. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadExperiment } from '../../../src/config';
import type { RunnerEvent } from '../../../src/runner';
import { runSlurmGrid } from '../../../src/runner/slurm/coordinator';
import { readManifest } from '../../../src/runner/slurm/manifest';
import { JournalStore, openStore } from '../../../src/tracking';
import { evaluation, provenance, summary } from '../../tracking/fixtures';
import { tinyGrid } from '../helpers';
import { installFakeSlurm, type FakeSlurm } from './fake-slurm';

/** Plays the task of manifest entry `index`: started, one epoch, then finished or interrupted. */
function playTask(manifestFile: string, index: number, end: 'finished' | 'interrupted' | 'started', job: string): void {
  const m = readManifest(manifestFile);
  const e = m.trials[index];
  const store = new JournalStore(m.runsDir, e.runId, { attempt: e.attempt, restart: 0, host: 'node1', pid: 4000 + index, slurmJob: job });
  store.startRun(e.runId, provenance(4000 + index, 'node1'), path.join(m.runsDir, e.runId));
  store.logEpochs(e.runId, [{ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, learningRate: 0.001, imagesPerSec: 100, seconds: 1 }]);
  if (end === 'finished') store.finishRun(e.runId, { summary: summary(0.5), validation: evaluation(0.5), test: evaluation(0.4) });
  if (end === 'interrupted') store.endRun(e.runId, 'interrupted', 'interrupted: SIGTERM (scancel)');
}

describe('runner/slurm/coordinator', function () {
  this.timeout(30_000);
  let dir: string;
  let fake: FakeSlurm;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-slurm-coord-'));
    fake = installFakeSlurm(dir, 3);
  });
  afterEach(() => {
    fake.restorePath();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('runSlurmGrid', () => {
    it('submits arrays cut to MaxArraySize, follows the journals, and resubmits only what did not finish', async () => {
      const exp = loadExperiment(tinyGrid(dir, 'five', [1, 2, 3, 4, 5]));
      const dbFile = path.join(dir, 'runs', 'digits.sqlite');
      const runsDir = path.join(dir, 'runs');
      const events: RunnerEvent[] = [];
      const common = { experiment: exp.name, trials: exp.trials, dbFile, runsDir, pollSeconds: 0.05, goneAfterSeconds: 0.2 };
      fake.setQueue({ '100_0': 'RUNNING', '100_1': 'RUNNING', '100_2': 'RUNNING', '101_0': 'RUNNING', '101_1': 'RUNNING' });
      const grid = runSlurmGrid({ ...common, settings: { tasksAtOnce: 2, timeLimit: '10' }, onEvent: (e) => events.push(e) });
      // The tasks: once both arrays are in, four finish and one is cancelled (scancel: interrupted, gone from the queue).
      while (fake.calls().filter((c) => c[0] === 'sbatch').length < 2) await new Promise((r) => setTimeout(r, 20));
      const sbatches = fake.calls().filter((c) => c[0] === 'sbatch');
      const script = sbatches[0][sbatches[0].length - 2];
      const manifest = path.join(path.dirname(script), 'manifest.json');
      for (const i of [0, 1, 2, 3]) playTask(manifest, i, 'finished', i < 3 ? `100_${i}` : '101_0');
      playTask(manifest, 4, 'interrupted', '101_1');
      fake.setQueue({ '100_0': 'COMPLETED', '100_1': 'COMPLETED', '100_2': 'COMPLETED', '101_0': 'COMPLETED', '101_1': 'CANCELLED' });
      const result = await grid;

      assert.deepEqual(sbatches.map((c) => c.find((a) => a.startsWith('--array='))), ['--array=0-2%2', '--array=0-1%2']);
      assert.deepEqual(sbatches.map((c) => c[c.length - 1]), ['0', '3']);
      assert.ok(sbatches.every((c) => c.includes('--requeue') && c.includes('--time=10') && c.includes('--signal=B:USR1@60')));
      assert.deepEqual(result.results.map((r) => r.status), ['finished', 'finished', 'finished', 'finished', 'interrupted']);
      assert.equal(events.filter((e) => e.type === 'epoch').length, 5);
      assert.equal(events.filter((e) => e.type === 'trial-start').length, 5);

      // Again: four are finished; the cancelled one goes back as a new array, attempt 2, into the same run.
      const again = await runSlurmGrid({ ...common, settings: {}, signal: AbortSignal.timeout(300) });
      assert.equal(again.alreadyFinished, 4);
      assert.equal(again.detached, true);
      const third = fake.calls().filter((c) => c[0] === 'sbatch')[2];
      assert.ok(third.includes('--array=0-0'));
      const m2 = readManifest(path.join(path.dirname(third[third.length - 2]), 'manifest.json'));
      assert.equal(m2.trials.length, 1);
      assert.equal(m2.trials[0].attempt, 2);
      assert.equal(m2.trials[0].runId, result.results[4].runId);
      const store = openStore(dbFile);
      try {
        assert.equal(store.listRuns({}).length, 5);
        assert.equal(store.getRun(m2.trials[0].runId)?.tags.slurm_submission, '2 102_0');
        assert.equal(store.integrityCheck(), 'ok');
      } finally {
        store.close();
      }
    });

    it('puts ensembles of the grid\'s trials in a second array that waits for the first', async () => {
      const file = path.join(dir, 'ens.yaml');
      fs.writeFileSync(file, [
        'name: ens', 'data: {trainLimit: 600, testLimit: 200}', 'train: {epochs: 1}',
        'trials:', '  - name: both', '    model: {kind: ensemble, combine: average, members: [{trial: a}, {trial: b}]}',
        '  - name: a', '  - name: b', '    seed: 2', '  - name: lost', '    model: {kind: ensemble, combine: vote, members: [{run: nonexistent}, {trial: a}]}', '',
      ].join('\n'));
      const exp = loadExperiment(file);
      const runsDir = path.join(dir, 'runs');
      await runSlurmGrid({ experiment: exp.name, trials: exp.trials, dbFile: path.join(runsDir, 'db.sqlite'), runsDir, pollSeconds: 0.05, settings: {}, signal: AbortSignal.timeout(200) });
      const sbatches = fake.calls().filter((c) => c[0] === 'sbatch');
      assert.deepEqual(sbatches.map((c) => c.find((a) => a.startsWith('--array='))), ['--array=0-1', '--array=0-1']);
      assert.ok(!sbatches[0].some((a) => a.startsWith('--dependency')));
      assert.ok(sbatches[1].includes('--dependency=afterany:100'));
      assert.deepEqual(sbatches.map((c) => c[c.length - 1]), ['0', '2']);
      const m = readManifest(path.join(path.dirname(sbatches[0][sbatches[0].length - 2]), 'manifest.json'));
      assert.deepEqual(m.trials.map((t) => t.trial.name), ['a', 'b', 'both', 'lost']);
      assert.deepEqual(m.known.map((k) => k.id).sort(), m.trials.map((t) => t.runId).sort());
    });

    it('attaches to tasks still queued in Slurm instead of submitting them twice', async () => {
      const exp = loadExperiment(tinyGrid(dir, 'two', [1, 2]));
      const common = { experiment: exp.name, trials: exp.trials, dbFile: path.join(dir, 'runs', 'db.sqlite'), runsDir: path.join(dir, 'runs'), pollSeconds: 0.05, settings: {} };
      fake.setQueue({ '100_0': 'PENDING', '100_1': 'PENDING' });
      const first = await runSlurmGrid({ ...common, signal: AbortSignal.timeout(200) });
      assert.equal(first.detached, true);
      const events: RunnerEvent[] = [];
      const second = await runSlurmGrid({ ...common, signal: AbortSignal.timeout(200), onEvent: (e) => events.push(e) });
      assert.equal(second.detached, true);
      assert.equal(fake.calls().filter((c) => c[0] === 'sbatch').length, 1);
      assert.ok(events.some((e) => e.type === 'notice' && /attached to 2 tasks already in Slurm \(100\)/.test(e.message)));
    });
  });
});
