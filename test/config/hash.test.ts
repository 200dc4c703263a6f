import { strict as assert } from 'node:assert';
import { defaultRunSpec } from '../../src/config/defaults';
import { canonicalJson, trialHash } from '../../src/config/hash';
import { loadExperiment } from '../../src/config/load';
import type { CnnSpec } from '../../src/config/types';
import { writeYaml } from './helpers';

const hashOf = (yaml: string) => loadExperiment(writeYaml('h.yaml', yaml)).trials[0].hash;

describe('config/hash', () => {
  describe('canonicalJson', () => {
    it('sorts keys at every level', () => {
      assert.equal(canonicalJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: null } }), '{"a":{"c":null,"d":[1,{"e":3,"f":2}]},"b":1}');
    });
  });

  describe('trialHash', () => {
    it('is 16 hex digits and ignores key order', () => {
      const a = defaultRunSpec();
      const b = JSON.parse(JSON.stringify({ seed: a.seed, train: a.train, model: a.model, data: a.data }));
      assert.match(trialHash(a), /^[0-9a-f]{16}$/);
      assert.equal(trialHash(a), trialHash(b));
    });
    it('is the same when a default is written explicitly', () => {
      assert.equal(hashOf('seed: 1\n'), hashOf('train: {batchSize: 64, optimizer: {name: adam, learningRate: 0.001}}\nmodel: {kind: cnn}\n'));
      assert.equal(hashOf('train: {replicas: 1}\n'), hashOf('seed: 1\n'), 'one replica is no replicas');
      assert.equal(hashOf('seed: 3\ndata: {splitSeed: 3}\n'), hashOf('seed: 3\n'), 'the split seed equal to the seed is no split seed');
      assert.equal(hashOf('model: {blocks: [{filters: 8, stride: 1}]}\n'), hashOf('model: {blocks: [{filters: 8}]}\n'), 'stride 1 is no stride');
      const member = (block: string) => hashOf(`model: {kind: ensemble, members: [{spec: {kind: cnn, blocks: [${block}]}}, {run: abc}]}\n`);
      assert.equal(member('{filters: 8, stride: 1}'), member('{filters: 8}'));
      assert.notEqual(member('{filters: 8, stride: 2}'), member('{filters: 8}'));
    });
    it('stays what it was before blocks had a stride and training replicas, so earlier grids still resume', () => {
      // The default spec's hash as of the commit before `stride` existed (a7b6686).
      assert.equal(trialHash(defaultRunSpec()), 'c9b2280721564860');
      assert.notEqual(hashOf('model: {blocks: [{filters: 8, stride: 2}]}\n'), hashOf('model: {blocks: [{filters: 8}]}\n'));
      const model = loadExperiment(writeYaml('h.yaml', 'model: {blocks: [{filters: 8}]}\n')).base.model as CnnSpec;
      assert.ok(!('stride' in model.blocks[0]), 'an unwritten stride stays out of the resolved spec');
      const train = loadExperiment(writeYaml('r.yaml', 'seed: 1\n')).base.train;
      assert.ok(!('replicas' in train), 'an unwritten replicas stays out of the resolved spec');
      assert.notEqual(hashOf('train: {replicas: 2}\n'), hashOf('seed: 1\n'));
      assert.ok(!('ema' in train), 'no weight average unless one is written');
      assert.notEqual(hashOf('train: {ema: 0.999}\n'), hashOf('seed: 1\n'));
      const data = loadExperiment(writeYaml('d.yaml', 'seed: 1\n')).base.data;
      assert.ok(!('splitSeed' in data), 'an unwritten split seed stays out of the resolved spec');
      assert.notEqual(hashOf('seed: 3\ndata: {splitSeed: 1}\n'), hashOf('seed: 3\n'));
    });
    it('changes when any value changes', () => {
      const base = hashOf('seed: 1\n');
      for (const change of ['seed: 2\n', 'train: {batchSize: 65}\n', 'model: {dense: [127]}\n', 'data: {trainLimit: 100}\n', 'data: {splitSeed: 2}\n', 'train: {augment: {enabled: true}}\n']) {
        assert.notEqual(hashOf(change), base, change);
      }
    });
  });
});
