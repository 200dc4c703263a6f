import { strict as assert } from 'node:assert';
import { defaultRunSpec } from '../../src/config/defaults';
import { canonicalJson, trialHash } from '../../src/config/hash';
import { loadExperiment } from '../../src/config/load';
import { completeSpec } from '../../src/config/complete';
import type { CnnSpec, RunSpec } from '../../src/config/types';
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
      assert.notEqual(hashOf('train: {replicas: 2}\n'), hashOf('seed: 1\n'));
      assert.notEqual(hashOf('train: {ema: 0.999}\n'), hashOf('seed: 1\n'));
      assert.equal(hashOf('train: {ema: null}\n'), hashOf('seed: 1\n'), 'no moving average written out is no moving average');
      assert.notEqual(hashOf('seed: 3\ndata: {splitSeed: 1}\n'), hashOf('seed: 3\n'));
    });
    it('hashes a spec stored before the late fields existed like the complete spec resolved today', () => {
      const complete = loadExperiment(writeYaml('late.yaml', 'seed: 4\n')).base;
      assert.equal((complete.model as CnnSpec).blocks[0].stride, 1, 'every field has its default in the resolved spec');
      assert.equal(complete.train.replicas, 1);
      assert.equal(complete.train.ema, null);
      assert.equal(complete.data.splitSeed, 4, 'the split seed defaults to the seed');
      const old = structuredClone(complete) as unknown as { model: { blocks: Record<string, unknown>[] }; train: Record<string, unknown>; data: Record<string, unknown> };
      for (const b of old.model.blocks) delete b.stride;
      delete old.train.replicas;
      delete old.train.ema;
      delete old.data.splitSeed;
      assert.equal(trialHash(old as unknown as RunSpec), trialHash(complete));
      assert.deepEqual(completeSpec(old as unknown as RunSpec), complete, 'completeSpec fills what an old stored spec lacks');
    });
    it('moves the default split seed with a grid over seeds, and keeps a written one', () => {
      const exp = loadExperiment(writeYaml('ss.yaml', 'seeds: [1, 2]\n'));
      assert.deepEqual(exp.trials.map((t) => t.spec.data.splitSeed), [1, 2]);
      const fixed = loadExperiment(writeYaml('ss2.yaml', 'data: {splitSeed: 7}\nseeds: [1, 2]\n'));
      assert.deepEqual(fixed.trials.map((t) => t.spec.data.splitSeed), [7, 7]);
    });
    it('changes when any value changes', () => {
      const base = hashOf('seed: 1\n');
      for (const change of ['seed: 2\n', 'train: {batchSize: 65}\n', 'model: {dense: [127]}\n', 'data: {trainLimit: 100}\n', 'data: {splitSeed: 2}\n', 'train: {augment: {enabled: true}}\n']) {
        assert.notEqual(hashOf(change), base, change);
      }
    });
  });
});
