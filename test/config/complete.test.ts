import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { completeSpec } from '../../src/config/complete';
import { trialHash } from '../../src/config/hash';
import { loadExperiment } from '../../src/config/load';
import type { RunSpec } from '../../src/config/types';
import { buildModel } from '../../src/models';
import { openStore } from '../../src/tracking';
import { problemsOf, writeYaml } from './helpers';

/** A spec as runs stored it before stride, replicas, ema and splitSeed existed. */
function oldSpec(): RunSpec {
  const spec = structuredClone(loadExperiment(writeYaml('old.yaml', 'seed: 5\n')).base) as unknown as Record<string, Record<string, unknown>>;
  for (const b of (spec.model.blocks as Record<string, unknown>[])) delete b.stride;
  delete spec.train.replicas;
  delete spec.train.ema;
  delete spec.data.splitSeed;
  return spec as unknown as RunSpec;
}

describe('config/complete', () => {
  describe('completeSpec', () => {
    it('gives every late field its default, the split seed from the seed, and leaves what is written', () => {
      const complete = completeSpec(oldSpec());
      assert.deepEqual(complete, loadExperiment(writeYaml('new.yaml', 'seed: 5\n')).base);
      const written = completeSpec({ ...oldSpec(), data: { ...oldSpec().data, splitSeed: 9 } });
      assert.equal(written.data.splitSeed, 9);
    });

    it('reads a run stored before the late fields existed as complete, with its old hash (no fallback at the reader)', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-complete-'));
      try {
        const store = openStore(path.join(dir, 'db.sqlite'));
        const old = oldSpec();
        const run = store.createRun({ experiment: 'old', name: 'old', trialHash: trialHash(old), spec: old, seed: 5 });
        const read = store.getRun(run.id)!;
        store.close();
        assert.equal(read.spec.train.replicas, 1);
        assert.equal(read.spec.train.ema, null);
        assert.equal(read.spec.data.splitSeed, 5);
        assert.equal(read.spec.model.kind === 'cnn' && read.spec.model.blocks[0].stride, 1);
        assert.equal(trialHash(read.spec), read.trialHash);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('cnnShapeProblem', () => {
    it('is the one check: a file and a hand-built spec get the same words', () => {
      const text = 'model:\n  blocks: [{filters: 8, pool: 4}, {filters: 8, pool: 4}, {filters: 8, pool: 4}]\n';
      const fromFile = /model\.blocks\.2: (.*)$/m.exec(problemsOf(text))![1];
      const spec = completeSpec({ ...oldSpec(), model: { kind: 'cnn', blocks: [8, 8, 8].map((filters) => ({ filters, kernelSize: 3, convs: 1, padding: 'same', batchNorm: false, pool: 4, dropout: 0, stride: 1 })), dense: [], denseDropout: 0, activation: 'relu' } });
      assert.throws(() => buildModel(spec.model as never), { name: 'UserError', message: `model.blocks.2: ${fromFile}` });
    });
  });
});
