import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { CnnSpec, RnnSpec } from '../../src/config/types';
import { loadModel, saveModel } from '../../src/models/io';
import { buildModel, modelKinds } from '../../src/models/registry';
import { loadTrial } from '../../src/config/load';
import { cnnBlockSizes } from '../../src/config/checks';

const tinyCnn: CnnSpec = {
  kind: 'cnn',
  blocks: [{ filters: 2, kernelSize: [3, 5], convs: 2, padding: 'valid', batchNorm: true, pool: 2, dropout: 0.1, stride: 1 }],
  dense: [8],
  denseDropout: 0.2,
  activation: 'elu',
};
const tinyRnn: RnnSpec = { kind: 'rnn', cell: 'gru', layers: 2, units: 4, bidirectional: true, dropout: 0.1 };

function outputOf(model: tf.LayersModel): number[] {
  return tf.tidy(() => Array.from((model.predict(tf.ones([2, 28, 28, 1])) as tf.Tensor).dataSync()));
}

describe('models/registry', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  describe('buildModel', () => {
    for (const spec of [tinyCnn, tinyRnn, loadTrial({ preset: 'cnn-default' }).spec.model, loadTrial({ preset: 'cnn-strided' }).spec.model, loadTrial({ preset: 'lstm-128' }).spec.model] as (CnnSpec | RnnSpec)[]) {
      it(`builds a ${spec.kind} that maps [N,28,28,1] to 10 probabilities per image`, () => {
        const model = buildModel(spec, { seed: 1 });
        const out = outputOf(model);
        assert.equal(out.length, 20);
        assert.ok(Math.abs(out.slice(0, 10).reduce((a, b) => a + b, 0) - 1) < 1e-5);
        model.dispose();
      });
    }

    it('builds the configured layers (non-square kernel, batch norm, bidirectional GRU)', () => {
      const cnn = buildModel(tinyCnn, { seed: 1 });
      const names = cnn.layers.map((l) => l.getClassName());
      assert.deepEqual(names, ['InputLayer', 'Conv2D', 'BatchNormalization', 'Activation', 'Conv2D', 'BatchNormalization', 'Activation', 'MaxPooling2D', 'Dropout', 'Flatten', 'Dense', 'Dropout', 'Dense']);
      assert.deepEqual(cnn.layers[1].outputShape, [null, 26, 24, 2]);
      const rnn = buildModel(tinyRnn, { seed: 1 });
      assert.deepEqual(rnn.layers.map((l) => l.getClassName()), ['Reshape', 'Bidirectional', 'Dropout', 'Bidirectional', 'Dropout', 'Dense']);
      assert.deepEqual(rnn.layers[1].outputShape, [null, 28, 8]);
      cnn.dispose();
      rnn.dispose();
    });

    it('gives the same initial weights for the same seed and different ones for another', () => {
      const [a, b, c] = [1, 1, 2].map((seed) => buildModel(tinyCnn, { seed }));
      assert.deepEqual(outputOf(a), outputOf(b));
      assert.notDeepEqual(outputOf(a), outputOf(c));
      [a, b, c].forEach((m) => m.dispose());
    });

    it('builds models that survive saveModel/loadModel (batch norm, bidirectional GRU)', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-registry-'));
      try {
        for (const [i, spec] of [tinyCnn, tinyRnn].entries()) {
          const model = buildModel(spec, { seed: 2 });
          await saveModel(model, path.join(dir, String(i)));
          const loaded = await loadModel(path.join(dir, String(i)));
          assert.deepEqual(outputOf(loaded), outputOf(model));
          model.dispose();
          loaded.dispose();
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('rejects an unknown kind, listing the valid ones', () => {
      assert.throws(() => buildModel({ kind: 'mlp' } as unknown as CnnSpec), (err: Error) => err.name === 'UserError' && /"mlp".*cnn, rnn/.test(err.message));
      assert.deepEqual(modelKinds(), ['cnn', 'rnn']);
    });

    it('explains that an ensemble is not one network', () => {
      assert.throws(() => buildModel({ kind: 'ensemble' } as unknown as CnnSpec), /ensemble.*combineProbabilities/);
    });

    it('shapes every block as cnnBlockSizes says (kernels, paddings, strides, pools)', () => {
      const block = { filters: 2, kernelSize: 3, convs: 1, padding: 'valid', batchNorm: false, pool: null, dropout: 0 } as const;
      const specs: CnnSpec[] = [
        { ...tinyCnn, blocks: [{ ...block, stride: 2 }, { ...block, kernelSize: [5, 3], padding: 'same', stride: 3, pool: 2 }] },
        { ...tinyCnn, blocks: [{ ...block, convs: 2, stride: 2 }, { ...block, kernelSize: 2, stride: 2 }] },
        loadTrial({ preset: 'cnn-strided' }).spec.model as CnnSpec,
        loadTrial({ preset: 'cnn-strided-3' }).spec.model as CnnSpec,
        loadTrial({ preset: 'cnn-strong' }).spec.model as CnnSpec,
      ];
      for (const spec of specs) {
        const model = buildModel(spec, { seed: 1 }) as tf.Sequential;
        const layers = model.layers.filter((l) => l.getClassName() !== 'InputLayer');
        // The output of each block: its last conv, batch norm, activation, pool or dropout layer.
        const ends: number[][] = [];
        let layer = 0;
        for (const b of spec.blocks) {
          layer += b.convs * (b.batchNorm ? 3 : 1) + (b.pool !== null ? 1 : 0) + (b.dropout > 0 ? 1 : 0);
          ends.push((layers[layer - 1].outputShape as number[]).slice(1, 3));
        }
        assert.deepEqual(ends, cnnBlockSizes(spec), JSON.stringify(spec.blocks));
        model.dispose();
      }
      const strided = cnnBlockSizes(loadTrial({ preset: 'cnn-strided' }).spec.model as CnnSpec);
      assert.deepEqual(strided, [[24, 24], [12, 12], [8, 8], [4, 4], [1, 1]]);
    });

    it('rejects a CNN whose image shrinks to nothing, naming the block', () => {
      const spec: CnnSpec = { ...tinyCnn, blocks: [{ ...tinyCnn.blocks[0], kernelSize: 15, pool: 16 }] };
      assert.throws(() => buildModel(spec), /model\.blocks\.0: the 28x28 image shrinks to 0x0/);
    });
  });
});
