import assert from 'node:assert/strict';
import { arrayChunks, batchScript, parseMaxArraySize, parseSbatchOutput, sbatchArgs } from '../../../src/runner/slurm/sbatch';
import { checkSlurmSettings } from '../../../src/runner/slurm/options';

describe('runner/slurm/sbatch', () => {
  describe('arrayChunks', () => {
    it('keeps a grid under MaxArraySize in one array', () => {
      assert.deepEqual(arrayChunks([4, 0], 1001), [{ offset: 0, size: 4, stage: 0 }]);
    });
    it('cuts a grid larger than MaxArraySize, offsets running on into the ensemble stage', () => {
      assert.deepEqual(arrayChunks([2500, 3], 1001), [
        { offset: 0, size: 1001, stage: 0 }, { offset: 1001, size: 1001, stage: 0 }, { offset: 2002, size: 498, stage: 0 },
        { offset: 2500, size: 3, stage: 1 },
      ]);
    });
  });

  describe('sbatchArgs', () => {
    const base = { jobName: 'digits-g', logDir: '/shared/runs/slurm/x/logs', script: '/shared/runs/slurm/x/task.sh' };
    it('asks for an array with K at once, requeue, the USR1 warning, and passes the offset to the script', () => {
      const args = sbatchArgs({ ...base, settings: { tasksAtOnce: 3, partition: 'gpu', timeLimit: '1:00:00', cpusPerTask: 2, graceSeconds: 90, extraArgs: ['--mem=4G'] }, chunk: { offset: 10, size: 5, stage: 0 }, after: [] });
      assert.deepEqual(args, [
        '--parsable', '--job-name=digits-g', '--array=0-4%3', '--requeue', '--signal=B:USR1@90', '--cpus-per-task=2',
        '--output=/shared/runs/slurm/x/logs/%A_%a.out', '--partition=gpu', '--time=1:00:00', '--mem=4G', '/shared/runs/slurm/x/task.sh', '10',
      ]);
    });
    it('makes a later stage wait for the arrays before it, and defaults the rest', () => {
      const args = sbatchArgs({ ...base, settings: {}, chunk: { offset: 4, size: 2, stage: 1 }, after: ['17', '18'] });
      assert.ok(args.includes('--array=0-1'));
      assert.ok(args.includes('--dependency=afterany:17:18'));
      assert.ok(args.includes('--signal=B:USR1@60'));
      assert.ok(!args.some((a) => a.startsWith('--partition') || a.startsWith('--time')));
    });
  });

  describe('batchScript', () => {
    it('exec\'s node so that signals reach it, with the offset from the script argument', () => {
      const script = batchScript({ node: '/usr/bin/node', taskEntry: ['/p/dist/runner/slurm/task.js'], manifest: "/shared/a b/manifest.json", cwd: '/shared/runs' });
      assert.match(script, /^#!\/bin\/bash\n/);
      assert.match(script, /\nexec \/usr\/bin\/node \/p\/dist\/runner\/slurm\/task.js '\/shared\/a b\/manifest.json' "\$1"\n/);
    });
  });

  describe('parseSbatchOutput', () => {
    it('reads the job id, with or without a cluster name', () => {
      assert.equal(parseSbatchOutput('1234\n'), '1234');
      assert.equal(parseSbatchOutput('1234;cluster\n'), '1234');
    });
    it('throws on anything else', () => assert.throws(() => parseSbatchOutput('sbatch: error'), /no job id/));
  });

  describe('parseMaxArraySize', () => {
    it('reads scontrol show config, else the default', () => {
      assert.equal(parseMaxArraySize('MaxArraySize            = 40\nMaxJobCount = 10000\n'), 40);
      assert.equal(parseMaxArraySize('MaxJobCount = 10000\n'), 1001);
    });
  });

  describe('checkSlurmSettings', () => {
    for (const [settings, pattern] of [
      [{ timeLimit: 'soon' }, /timeLimit must be a Slurm time.*"soon"/],
      [{ tasksAtOnce: 0 }, /tasksAtOnce must be a whole number >= 1, got 0/],
      [{ cpusPerTask: 1.5 }, /cpusPerTask/],
      [{ partition: 'a b' }, /partition must be a partition name/],
    ] as const) {
      it(`refuses ${JSON.stringify(settings)}`, () => assert.throws(() => checkSlurmSettings(settings), pattern));
    }
    it('accepts Slurm time formats', () => {
      for (const t of ['90', '1:30:00', '2-00:00:00', '30:00']) checkSlurmSettings({ timeLimit: t });
    });
  });
});
