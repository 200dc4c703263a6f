import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMnist } from '../../src/data/mnist';
import type { Mnist } from '../../src/data/types';
import { engineInfo } from '../../src/engine';
import { openStore } from '../../src/tracking/open';
import type { SqliteStore } from '../../src/tracking/store';
import { collectProvenance } from '../../src/train/provenance';
import { trainAndRecord } from '../../src/train/record';
import { tinySpec, useEngine } from './helpers';

const MNIST_DIR = path.resolve(__dirname, '../../../shared/datasets/mnist');

describe('train/record', () => {
  let root: string;
  let mnist: Mnist;
  let store: SqliteStore;
  const spec = () => {
    const s = tinySpec({ epochs: 2, batchSize: 32 });
    s.data = { trainLimit: 256, testLimit: 100, validationFraction: 0.25 };
    return s;
  };

  before(async () => {
    await useEngine();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-record-'));
    mnist = await loadMnist({ dataDir: MNIST_DIR, download: false, stampFile: null });
    store = openStore(path.join(root, 'digits.sqlite'));
  });
  after(() => {
    store.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  describe('trainAndRecord', () => {
    it('records a finished run: epochs, evaluations, provenance and the artifact folder', async () => {
      const run = await trainAndRecord({ spec: spec(), mnist, runsDir: root, store, provenance: collectProvenance(engineInfo()!) });
      const stored = store.getRun(run.id);
      assert.equal(stored?.status, 'finished');
      assert.equal(stored?.artifactDir, path.join(root, run.id));
      assert.equal(store.history(run.id).length, 2);
      assert.equal(stored?.test?.count, 100);
      assert.equal(stored?.validation?.count, 64);
      assert.equal(stored?.provenance?.backend, engineInfo()?.backend);
      assert.ok(fs.existsSync(path.join(run.dir, 'test-probs.bin')));
    });

    it('records an aborted run as interrupted, keeping the epochs it finished', async () => {
      const controller = new AbortController();
      const run = await trainAndRecord({
        spec: spec(), mnist, runsDir: root, store, provenance: collectProvenance(engineInfo()!), signal: controller.signal,
        onEpoch: () => controller.abort(),
      });
      assert.equal(run.status, 'interrupted');
      assert.equal(store.getRun(run.id)?.status, 'interrupted');
      assert.equal(store.history(run.id).length, 1);
      assert.ok(fs.existsSync(path.join(run.dir, 'model', 'model.json')));
    });

    it('records a failure with its message and rethrows', async () => {
      const bad = spec();
      bad.data.validationFraction = 0; // no validation images: trainRun refuses
      await assert.rejects(trainAndRecord({ spec: bad, mnist, runsDir: root, store, provenance: collectProvenance(engineInfo()!) }), /validation split is empty/);
      const failed = store.listRuns({ status: ['failed'] });
      assert.equal(failed.length, 1);
      assert.match(failed[0].error ?? '', /validation split is empty/);
    });
  });
});
