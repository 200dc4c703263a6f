import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { MNIST_CHECKSUMS, mnistDataHash } from '../../src/data';
import { engineInfo } from '../../src/engine';
import { collectProvenance } from '../../src/train/provenance';
import { trainAndRecord } from '../../src/train/record';
import { recordingFixture, smallMnistSpec } from './helpers';

describe('train/record', () => {
  const fx = recordingFixture('digits-record-');
  const spec = () => smallMnistSpec({ epochs: 2, batchSize: 32 });

  describe('trainAndRecord', () => {
    it('records a finished run: epochs, evaluations, provenance and the artifact folder', async () => {
      const run = await trainAndRecord({ spec: spec(), mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: collectProvenance(engineInfo()!) });
      const stored = fx.store.getRun(run.id);
      assert.equal(stored?.status, 'finished');
      assert.equal(stored?.artifactDir, path.join(fx.root, run.id));
      assert.equal(fx.store.history(run.id).length, 2);
      // 192 training images in batches of 32: 6 steps an epoch, each one logged (a short run)
      const steps = fx.store.steps(run.id);
      assert.deepEqual(steps.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      assert.deepEqual(steps.map((s) => s.epoch).filter((e) => Number.isInteger(e)), [1, 2]);
      assert.ok(steps.every((s) => s.loss > 0 && s.accuracy >= 0 && s.accuracy <= 1));
      assert.equal(stored?.test?.count, 100);
      assert.equal(stored?.validation?.count, 64);
      assert.equal(stored?.provenance?.backend, engineInfo()?.backend);
      assert.equal(stored?.provenance?.dataHash, mnistDataHash(MNIST_CHECKSUMS), 'the data hash of the verified files, not empty');
      assert.match(stored?.provenance?.dataHash ?? '', /^[0-9a-f]{16}$/);
      assert.ok(fs.existsSync(path.join(run.dir, 'test-probs.bin')));
      // The calibration in the runs row, as calibration.json has it, so --where and --sort can use it.
      const calibration = JSON.parse(fs.readFileSync(path.join(run.dir, 'calibration.json'), 'utf8'));
      assert.equal(stored?.test?.ece, calibration.ece.test.before);
      const [row] = fx.store.listRuns({ ids: [run.id], where: `temperature=${calibration.temperature} and test_ece_calibrated=${calibration.ece.test.after} and val_ece=${calibration.ece.validation.before}` });
      assert.equal(row?.id, run.id);
    });

    it('records an aborted run as interrupted, keeping the epochs it finished', async () => {
      const controller = new AbortController();
      const run = await trainAndRecord({
        spec: spec(), mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: collectProvenance(engineInfo()!), signal: controller.signal,
        onEpoch: () => controller.abort(),
      });
      assert.equal(run.status, 'interrupted');
      assert.equal(fx.store.getRun(run.id)?.status, 'interrupted');
      assert.equal(fx.store.history(run.id).length, 1);
      assert.equal(fx.store.steps(run.id).length, 6, 'the steps of the finished epoch');
      assert.ok(fs.existsSync(path.join(run.dir, 'model', 'model.json')));
    });

    it('records a failure with its message and rethrows', async () => {
      const bad = spec();
      bad.data.validationFraction = 0; // no validation images: trainRun refuses
      await assert.rejects(trainAndRecord({ spec: bad, mnist: fx.mnist, runsDir: fx.root, store: fx.store, provenance: collectProvenance(engineInfo()!) }), /validation split is empty/);
      const failed = fx.store.listRuns({ status: ['failed'] });
      assert.equal(failed.length, 1);
      assert.match(failed[0].error ?? '', /validation split is empty/);
    });
  });
});
