import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import type { RunSpec } from '../../src/config/types';
import { isUserError } from '../../src/errors';
import { engineInfo } from '../../src/engine';
import { combineProbabilities } from '../../src/models/ensemble';
import { readRunArtifacts } from '../../src/tracking';
import { memberSeed, trainEnsembleAndRecord } from '../../src/train/ensemble-run';
import { evaluate } from '../../src/train/metrics';
import { collectProvenance } from '../../src/train/provenance';
import { trainAndRecord } from '../../src/train/record';
import { recordingFixture, smallMnistSpec, TINY_CNN } from './helpers';

describe('train/ensemble-run', () => {
  const fx = recordingFixture('digits-ensemble-run-');
  const base = () => smallMnistSpec({ epochs: 1, batchSize: 32 });
  const ensemble = (members: unknown[], combine: 'average' | 'vote' | 'weighted' = 'average'): RunSpec => ({
    ...base(), model: { kind: 'ensemble', combine, members } as RunSpec['model'],
  });

  const provenance = () => collectProvenance(engineInfo()!);

  describe('trainEnsembleAndRecord', () => {
    it('combines a stored run with an inline member and records both splits, artifacts and member ids', async () => {
      const member = await trainAndRecord({ spec: base(), mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: provenance() });
      const run = await trainEnsembleAndRecord({
        spec: ensemble([{ run: member.id }, { spec: TINY_CNN }]), mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: provenance(),
      });
      assert.equal(run.status, 'finished');
      const stored = fx.store.getRun(run.id)!;
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

    it('combines finished runs of different seeds that share data.splitSeed, and refuses them without it', async () => {
      const train = (seed: number, splitSeed?: number, testLimit = 100) => {
        const spec = { ...base(), seed };
        spec.data = { ...spec.data, splitSeed: splitSeed ?? seed, testLimit };
        return trainAndRecord({ spec, mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: provenance() });
      };
      const [a, b] = [await train(5, 9), await train(6, 9)];
      const run = await trainEnsembleAndRecord({ spec: ensemble([{ run: a.id }, { run: b.id }]), mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: provenance() });
      assert.equal(run.status, 'finished');
      const [pa, pb] = [readRunArtifacts(a.dir).validationProbs!, readRunArtifacts(b.dir).validationProbs!];
      assert.deepEqual(Array.from(pb.labels), Array.from(pa.labels));
      assert.notDeepEqual(Array.from(pb.probs.slice(0, 10)), Array.from(pa.probs.slice(0, 10)), 'two different models');
      assert.equal(fx.store.getRun(run.id)?.validation?.accuracy, evaluate(combineProbabilities([pa.probs, pb.probs], 'average'), pa.labels).accuracy);

      const [c, d] = [await train(5), await train(6)];
      await assert.rejects(trainEnsembleAndRecord({ spec: ensemble([{ run: c.id }, { run: d.id }]), mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: provenance() }),
        (err: Error) => isUserError(err) && /validation predictions are not on the same images/.test(err.message) && /one data\.splitSeed/.test(err.message));
      const fewer = await train(6, 9, 50);
      await assert.rejects(trainEnsembleAndRecord({ spec: ensemble([{ run: a.id }, { run: fewer.id }]), mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: provenance() }),
        (err: Error) => isUserError(err) && /its 50 test predictions are not on the same images as .*'s 100; ensemble members need the same data\.testLimit$/.test(err.message));
    });

    it('fails with a UserError naming a member that does not exist, and records the failure', async () => {
      const spec = ensemble([{ run: 'no-such-run' }]);
      await assert.rejects(trainEnsembleAndRecord({ spec, mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: provenance() }),
        (err: Error) => isUserError(err) && /member 0 \(run "no-such-run"\)/.test(err.message));
      const failed = fx.store.listRuns({ status: ['failed'] });
      assert.equal(failed.filter((r) => /no-such-run/.test(r.error ?? '')).length, 1);
    });

    it('records an aborted ensemble as interrupted', async () => {
      const controller = new AbortController();
      controller.abort();
      const run = await trainEnsembleAndRecord({ spec: ensemble([{ spec: TINY_CNN }]), mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: provenance(), signal: controller.signal });
      assert.equal(run.status, 'interrupted');
      assert.equal(fx.store.getRun(run.id)?.status, 'interrupted');
    });
  });

  describe('memberSeed', () => {
    it('gives each member its own seed, within int32', () => {
      assert.deepEqual([0, 1, 2].map((i) => memberSeed(7, i)), [1007, 2007, 3007]);
      assert.ok(memberSeed(2 ** 31 - 2, 3) < 2 ** 31 - 1);
    });
  });
});
