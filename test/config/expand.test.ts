import { strict as assert } from 'node:assert';
import { expandTrials } from '../../src/config/expand';
import { loadExperiment } from '../../src/config/load';
import { sampleRandom } from '../../src/config/random';
import { writeYaml } from './helpers';

describe('config/expand', () => {
  describe('expandTrials', () => {
    it('gives one trial named after the experiment when nothing varies', () => {
      const trials = expandTrials({ name: 'solo' });
      assert.deepEqual(trials.map((t) => t.name), ['solo']);
      assert.deepEqual(trials[0].overrides, {});
    });

    it('takes the cartesian product of grid axes, times seeds, with readable names', () => {
      const trials = expandTrials({
        name: 'g',
        grid: { 'train.optimizer.learningRate': [0.001, 0.003], 'train.batchSize': [32, 64] },
        seeds: [1, 2],
      });
      assert.equal(trials.length, 8);
      assert.equal(trials[0].name, 'lr=0.001 batch=32 seed=1');
      assert.equal(trials[7].name, 'lr=0.003 batch=64 seed=2');
      assert.deepEqual(trials[7].overrides, { 'train.optimizer.learningRate': 0.003, 'train.batchSize': 64, seed: 2 });
      assert.equal(trials[7].spec.train.batchSize, 64);
      assert.equal(trials[7].spec.seed, 2);
      assert.equal(new Set(trials.map((t) => t.hash)).size, 8);
    });

    it('sets list items and switches model kinds from grid keys', () => {
      const trials = expandTrials({ name: 'k', grid: { 'model.blocks.0.filters': [8], model: [{ kind: 'rnn', units: 64 }] } });
      assert.equal(trials[0].name, 'filters=8 model=rnn');
      assert.deepEqual(trials[0].spec.model, { kind: 'rnn', cell: 'lstm', layers: 1, units: 64, bidirectional: false, dropout: 0 });
    });

    it('samples random search reproducibly within the ranges', () => {
      const random = { n: 5, seed: 7, params: { 'train.optimizer.learningRate': { loguniform: [1e-4, 1e-2] as [number, number] }, 'train.batchSize': { choice: [32, 64, 128] } } };
      const a = expandTrials({ name: 'r', random });
      const b = expandTrials({ name: 'r', random });
      assert.deepEqual(a.map((t) => t.hash), b.map((t) => t.hash));
      assert.ok(a.every((t) => t.spec.train.optimizer.learningRate >= 1e-4 && t.spec.train.optimizer.learningRate <= 1e-2));
      assert.ok(a.every((t) => [32, 64, 128].includes(t.spec.train.batchSize)));
      assert.notDeepEqual(sampleRandom({ ...random, seed: 8 }), sampleRandom(random), 'another seed, other samples');
    });

    it('draws integers inclusively', () => {
      const values = sampleRandom({ n: 200, seed: 1, params: { x: { int: [1, 3] } } }).map((p) => p.x);
      assert.deepEqual([...new Set(values)].sort(), [1, 2, 3]);
    });

    it('lets --set replace a grid axis on the same key instead of multiplying it', () => {
      const trials = expandTrials({ name: 'g', grid: { 'train.batchSize': [32, 64] }, seeds: [1, 2], set: { 'train.batchSize': 16 } });
      assert.deepEqual(trials.map((t) => t.name), ['seed=1 batch=16', 'seed=2 batch=16'], 'the --set value that replaced the axis is in the name');
      assert.ok(trials.every((t) => t.spec.train.batchSize === 16));
    });

    it('links ensemble members to the trial of the same grid point and puts ensembles last', () => {
      const trials = expandTrials({
        name: 'ens',
        trials: [
          { name: 'avg', model: { kind: 'ensemble', members: [{ trial: 'a' }, { trial: 'b' }] } },
          { name: 'a' },
          { name: 'b', model: { kind: 'rnn' } },
        ],
        seeds: [1, 2],
      });
      assert.deepEqual(trials.map((t) => t.name), ['a seed=1', 'a seed=2', 'b seed=1', 'b seed=2', 'avg seed=1', 'avg seed=2']);
      const avg2 = trials[5].spec.model;
      assert.ok(avg2.kind === 'ensemble');
      assert.deepEqual(avg2.members, [{ trial: 'a seed=2', hash: trials[1].hash }, { trial: 'b seed=2', hash: trials[3].hash }]);
    });

    it('throws one UserError listing problems without positions for plain definitions', () => {
      assert.throws(() => expandTrials({ name: 'p', train: { epochs: 0 }, grid: { 'train.batchSize': [0] } }), {
        name: 'UserError',
        message: /^p: 2 problems:\n {2}p: train\.epochs: .*got 0\n {2}p: train\.batchSize: .*got 0$/,
      });
    });
  });

  describe('loadExperiment (trials of a file)', () => {
    it('records the variant fields in the trial overrides', () => {
      const exp = loadExperiment(writeYaml('v.yaml', 'trials:\n  - name: small\n    model: {dense: [32]}\n  - name: big\n'));
      assert.deepEqual(exp.trials.map((t) => t.name), ['small', 'big']);
      assert.deepEqual(exp.trials[0].overrides, { 'model.dense.0': 32 });
    });
  });
});
