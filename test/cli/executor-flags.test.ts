import assert from 'node:assert/strict';
import { chooseExecutor, slurmSettings } from '../../src/cli/executor-flags';
import type { Experiment } from '../../src/config';

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
