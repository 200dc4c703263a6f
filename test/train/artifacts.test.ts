import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadModel } from '../../src/models/io';
import { readRunArtifacts, writeRunConfig } from '../../src/tracking';
import { writeRunResults } from '../../src/train/artifacts';
import { disposeData } from '../../src/train/data';
import { trainRun } from '../../src/train/loop';
import type { TrainingData, TrainResult } from '../../src/train/options';
import { predictProbs } from '../../src/train/predict';
import { syntheticData, tinySpec, useEngine } from './helpers';

describe('train/artifacts', () => {
  let root: string;
  let data: TrainingData;
  let result: TrainResult;
  const spec = tinySpec({ epochs: 1 });

  before(async () => {
    await useEngine();
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-artifacts-'));
    data = syntheticData();
    result = await trainRun(spec, data);
  });
  after(() => {
    result.model.dispose();
    disposeData(data);
    fs.rmSync(root, { recursive: true, force: true });
  });

  describe('writeRunResults / readRunArtifacts', () => {
    it('round-trips spec, history, evaluations and probabilities, and the model predicts the same', async () => {
      const dir = path.join(root, 'run1');
      writeRunConfig(dir, spec);
      await writeRunResults(dir, result, { validation: data.validation.labels, test: data.test.labels });
      for (const f of ['config.json', 'history.json', 'metrics.json', 'test-probs.bin', 'test-probs.json', 'model/model.json']) {
        assert.ok(fs.existsSync(path.join(dir, f)), f);
      }
      assert.equal(fs.statSync(path.join(dir, 'test-probs.bin')).size, 32 * 10 * 4);
      const read = readRunArtifacts(dir);
      assert.deepEqual(read.spec, spec);
      assert.deepEqual(read.history, result.history);
      assert.deepEqual(read.test, result.test);
      assert.equal(read.status, 'finished');
      assert.deepEqual(read.testProbs?.probs, result.testProbs);
      assert.deepEqual(read.testProbs?.labels, data.test.labels);
      assert.deepEqual(read.validationProbs?.probs, result.validationProbs);
      assert.deepEqual(read.test?.confusion, result.test?.confusion, 'the confusion matrices live in metrics.json');
      assert.equal(fs.existsSync(path.join(dir, 'confusion.json')), false, 'no second copy');
      const model = await loadModel(read.modelDir);
      assert.deepEqual(predictProbs(model, data.test.xs), result.testProbs);
      model.dispose();
    });

    it('writes the config once and refuses a different spec for the same folder', () => {
      const dir = path.join(root, 'run2');
      writeRunConfig(dir, spec);
      writeRunConfig(dir, spec);
      assert.throws(() => writeRunConfig(dir, { ...spec, seed: 99 }), /different spec/);
    });

    it('says when a folder is not a run folder', () => {
      assert.throws(() => readRunArtifacts(path.join(root, 'nothing')), (err: Error) => err.name === 'UserError' && /config\.json is missing/.test(err.message));
    });

    it('reports truncated probabilities as a damaged folder', async () => {
      const dir = path.join(root, 'run3');
      writeRunConfig(dir, spec);
      await writeRunResults(dir, result, { validation: data.validation.labels, test: data.test.labels });
      fs.truncateSync(path.join(dir, 'test-probs.bin'), 100);
      assert.throws(() => readRunArtifacts(dir), /test-probs\.bin: expected 32x10 float32 values \(1280 bytes\).*found 100 bytes/);
    });
  });
});
