import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadExperiment } from '../../src/config';

describe('config/load (executor block)', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-executor-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  describe('loadExperiment', () => {
    it('reads the executor block and leaves every trial hash as it was without it', () => {
      const base = 'name: g\ntrain: {epochs: 1}\ngrid: {seed: [1, 2]}\n';
      const plain = loadExperiment(write('plain.yaml', base));
      const slurm = loadExperiment(write('slurm.yaml', base + 'executor: {kind: slurm, partition: gpu, timeLimit: "2:00:00", tasksAtOnce: 8, extraArgs: ["--mem=4G"]}\n'));
      assert.deepEqual(slurm.trials.map((t) => t.hash), plain.trials.map((t) => t.hash));
      assert.deepEqual(slurm.executor, { kind: 'slurm', partition: 'gpu', timeLimit: '2:00:00', tasksAtOnce: 8, extraArgs: ['--mem=4G'] });
      assert.equal(plain.executor, undefined);
    });

    it('reports a bad executor value at its line, with the rule', () => {
      const file = write('bad.yaml', 'name: g\ntrain: {epochs: 1}\nexecutor:\n  kind: cloud\n  tasksAtOnce: 0\n');
      assert.throws(() => loadExperiment(file), (err: Error) => {
        assert.match(err.message, /bad\.yaml:4:\d+: executor\.kind/);
        assert.match(err.message, /cloud/);
        assert.match(err.message, /bad\.yaml:5:\d+: executor\.tasksAtOnce/);
        return true;
      });
    });
  });
});
