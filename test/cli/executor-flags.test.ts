import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cancelSlurmGrid, chooseExecutor, slurmSettings } from '../../src/cli/executor-flags';
import { loadExperiment, type Experiment } from '../../src/config';
import { runSlurmGrid } from '../../src/runner';
import { openStore } from '../../src/tracking';
import { tinyGrid } from '../runner/helpers';
import { installFakeSlurm, type FakeSlurm } from '../runner/slurm/fake-slurm';

const experiment = (executor?: Experiment['executor']) => ({ name: 'g', description: '', file: '/x/g.yaml', base: {}, trials: [], executor }) as unknown as Experiment;

describe('cli/executor-flags', () => {
  describe('chooseExecutor', () => {
    it('is local by default, slurm by flag or by the experiment\'s executor.kind', () => {
      assert.equal(chooseExecutor({}, experiment()).name, 'local');
      assert.equal(chooseExecutor({ executor: 'slurm' }, experiment()).name, 'slurm');
      assert.equal(chooseExecutor({}, experiment({ kind: 'slurm' })).name, 'slurm');
      assert.equal(chooseExecutor({ executor: 'local' }, experiment({ kind: 'slurm' })).name, 'local');
    });
    it('refuses a Slurm flag on the local executor, naming the fix', () => {
      assert.throws(() => chooseExecutor({ timeLimit: '10' }, experiment()), /--time-limit "10" applies to Slurm only.*add --executor slurm/);
    });
  });
  describe('slurmSettings', () => {
    it('takes flags over the experiment\'s block', () => {
      const s = slurmSettings({ partition: 'cpu', sbatchArg: ['--mem=2G'] }, experiment({ partition: 'gpu', tasksAtOnce: 4, maxRestarts: 1 }));
      assert.deepEqual({ p: s.partition, k: s.tasksAtOnce, r: s.maxRestarts, x: s.extraArgs }, { p: 'cpu', k: 4, r: 1, x: ['--mem=2G'] });
    });
    it('checks the values, naming the command', () => {
      assert.throws(() => slurmSettings({ timeLimit: 'soon' }, experiment()), /digits run: timeLimit must be a Slurm time/);
    });
  });
});

describe('cli/executor-flags (with fake Slurm commands)', function () {
  this.timeout(30_000);
  let dir: string;
  let fake: FakeSlurm;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-cancel-'));
    fake = installFakeSlurm(dir);
  });
  afterEach(() => {
    fake.restorePath();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('cancelSlurmGrid', () => {
    it('scancels the experiment\'s queued tasks and records their runs interrupted', async () => {
      const exp = loadExperiment(tinyGrid(dir, 'two', [1, 2]));
      const runsDir = path.join(dir, 'runs');
      const dbFile = path.join(runsDir, 'db.sqlite');
      fake.setQueue({ '100_0': 'PENDING', '100_1': 'RUNNING' });
      await runSlurmGrid({ experiment: exp.name, trials: exp.trials, dbFile, runsDir, settings: {}, pollSeconds: 0.05, signal: AbortSignal.timeout(200) });
      const said = await cancelSlurmGrid(exp, dbFile, runsDir);
      assert.match(said, /cancelled 2 Slurm tasks \(100_0, 100_1\)/);
      assert.deepEqual(fake.calls().filter((c) => c[0] === 'scancel'), [['scancel', '100_0', '100_1']]);
      const store = openStore(dbFile);
      try {
        assert.deepEqual(store.listRuns({}).map((r) => r.status), ['interrupted', 'interrupted']);
      } finally {
        store.close();
      }
      fake.setQueue({ '100_0': 'CANCELLED', '100_1': 'CANCELLED' });
      assert.match(await cancelSlurmGrid(exp, dbFile, runsDir), /no queued or running Slurm tasks to cancel/);
    });
  });
});
