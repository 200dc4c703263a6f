import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { loadModel, saveModel } from '../../src/models/io';

describe('models/io', () => {
  let dir: string;
  before(async () => {
    await tf.setBackend('cpu');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-io-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('saveModel / loadModel', () => {
    it('round-trips a model so it predicts the same', async () => {
      const model = tf.sequential({
        layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 10, activation: 'softmax' })],
      });
      await saveModel(model, dir);
      assert.ok(fs.existsSync(path.join(dir, 'model.json')));
      const loaded = await loadModel(dir);
      const x = tf.randomUniform([2, 28, 28, 1], 0, 1, 'float32', 7);
      const a = await (model.predict(x) as tf.Tensor).data();
      const b = await (loaded.predict(x) as tf.Tensor).data();
      assert.deepEqual(Array.from(b), Array.from(a));
    });

    it('says which folder has no model', async () => {
      await assert.rejects(loadModel(path.join(dir, 'missing')), /missing.*model\.json is missing/);
    });
  });
});
