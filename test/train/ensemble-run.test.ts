import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunSpec } from '../../src/config/types';
import { loadMnist } from '../../src/data/mnist';
import type { Mnist } from '../../src/data/types';
import { isUserError } from '../../src/errors';
import { engineInfo } from '../../src/engine';
import { combineProbabilities } from '../../src/models/ensemble';
import { openStore } from '../../src/tracking/open';
import type { SqliteStore } from '../../src/tracking/store';
import { readRunArtifacts } from '../../src/train/artifacts';
import { memberSeed, trainEnsembleAndRecord } from '../../src/train/ensemble-run';
import { evaluate } from '../../src/train/metrics';
import { collectProvenance } from '../../src/train/provenance';
import { trainAndRecord } from '../../src/train/record';
import { TINY_CNN, tinySpec, useEngine } from './helpers';

const MNIST_DIR = path.resolve(__dirname, '../../../shared/datasets/mnist');

describe('train/ensemble-run', () => {
  let root: string;
  let mnist: Mnist;
  let store: SqliteStore;
  const base = () => {
    const s = tinySpec({ epochs: 1, batchSize: 32 });
    s.data = { trainLimit: 256, testLimit: 100, validationFraction: 0.25 };
    return s;
  };
  const ensemble = (members: unknown[], combine: 'average' | 'vote' | 'weighted' = 'average'): RunSpec => ({
    ...base(), model: { kind: 'ensemble', combine, members } as RunSpec['model'],
  });

  before(async () => {
    await useEngine();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-ensemble-run-'));
    mnist = await loadMnist({ dataDir: MNIST_DIR, download: false, stampFile: null });
    store = openStore(path.join(root, 'digits.sqlite'));
  });
  after(() => {
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  });
  const provenance = () => collectProvenance(engineInfo()!);

  describe('trainEnsembleAndRecord', () => {
    it('combines a stored run with an inline member and records both splits, artifacts and member ids', async () => {
      const member = await trainAndRecord({ spec: base(), mnist, runsDir: root, store, provenance: provenance() });
      const run = await trainEnsembleAndRecord({
        spec: ensemble([{ run: member.id }, { spec: TINY_CNN }]), mnist, runsDir: root, store, provenance: provenance(),
      });
      assert.equal(run.status, 'finished');
      const stored = store.getRun(run.id)!;
      assert.equal(stored.status, 'finished');
      assert.equal(stored.tags.ensemble_members, `${member.id},inline`);
      assert.equal(stored.validation?.count, 64);
      const artifacts = readRunArtifacts(run.dir);
      const memberArtifacts = readRunArtifacts(member.dir);
      assert.deepEqual(artifacts.testProbs?.labels, memberArtifacts.testProbs?.labels);
      const members = JSON.parse(fs.readFileSync(path.join(run.dir, 'members.json'), 'utf8'));
      assert.deepEqual(members.map((m: { kind: string }) => m.kind), ['run', 'spec']);
      assert.deepEqual(members.map((m: { weight: number }) => m.weight), [0.5, 0.5]);
      assert.ok(fs.existsSync(path.join(run.dir, 'members', '1', 'model', 'model.json')));
      const avgAccuracy = evaluate(artifacts.testProbs!.probs, artifacts.testProbs!.labels).accuracy;
      assert.equal(stored.test?.accuracy, avgAccuracy);
      const alone = combineProbabilities([memberArtifacts.testProbs!.probs], 'average');
      assert.notDeepEqual(Array.from(artifacts.testProbs!.probs.slice(0, 10)), Array.from(alone.slice(0, 10)), 'the inline member changed the result');
    });

    it('fails with a UserError naming a member that does not exist, and records the failure', async () => {
      const spec = ensemble([{ run: 'no-such-run' }]);
      await assert.rejects(trainEnsembleAndRecord({ spec, mnist, runsDir: root, store, provenance: provenance() }),
        (err: Error) => isUserError(err) && /member 0 \(run "no-such-run"\)/.test(err.message));
      const failed = store.listRuns({ status: ['failed'] });
      assert.equal(failed.length, 1);
      assert.match(failed[0].error ?? '', /no-such-run/);
    });

    it('records an aborted ensemble as interrupted', async () => {
      const controller = new AbortController();
      controller.abort();
      const run = await trainEnsembleAndRecord({ spec: ensemble([{ spec: TINY_CNN }]), mnist, runsDir: root, store, provenance: provenance(), signal: controller.signal });
      assert.equal(run.status, 'interrupted');
      assert.equal(store.getRun(run.id)?.status, 'interrupted');
    });
  });

  describe('memberSeed', () => {
    it('gives each member its own seed, within int32', () => {
      assert.deepEqual([0, 1, 2].map((i) => memberSeed(7, i)), [1007, 2007, 3007]);
      assert.ok(memberSeed(2 ** 31 - 2, 3) < 2 ** 31 - 1);
    });
  });
});
