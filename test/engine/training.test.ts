import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { registerWasmGradients } from '../../src/engine';
import { referenceCnn } from '../../bench/engine-models';
import { randn } from './helpers';

/** conv with 'same' padding, strides and non-square kernels, batch norm, dropout (fixed seed). */
function batchNormCnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: [1, 3], strides: 2, padding: 'same' }));
  model.add(tf.layers.batchNormalization());
  model.add(tf.layers.activation({ activation: 'relu' }));
  model.add(tf.layers.conv2d({ filters: 6, kernelSize: [5, 3], padding: 'same', activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2, padding: 'same' }));
  model.add(tf.layers.dropout({ rate: 0.3, seed: 1 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

/** Bidirectional GRU over the 28 rows. */
function bidirectionalGru(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.reshape({ inputShape: [28, 28, 1], targetShape: [28, 28] }));
  model.add(tf.layers.bidirectional({ layer: tf.layers.gru({ units: 8 }) as tf.RNN }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

/** Losses of `steps` steps from the given weights on one fixed batch. */
async function lossesOn(
  backend: string,
  build: () => tf.Sequential,
  optimizer: () => tf.Optimizer,
  weights: tf.Tensor[],
  [x, y]: [tf.Tensor, tf.Tensor],
  steps: number,
): Promise<number[]> {
  await tf.setBackend(backend);
  const model = build();
  model.setWeights(weights);
  model.compile({ optimizer: optimizer(), loss: 'categoricalCrossentropy' });
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) losses.push((await model.trainOnBatch(x, y)) as number);
  model.dispose();
  return losses;
}

describe('engine', () => {
  describe('registerWasmGradients', () => {
    let previous: string;
    before(() => {
      previous = tf.getBackend();
      registerWasmGradients();
    });
    after(async () => {
      if (previous != null) await tf.setBackend(previous);
    });

    const cases: Array<[string, () => tf.Sequential, () => tf.Optimizer]> = [
      ['the reference CNN with Adam', referenceCnn, () => tf.train.adam(1e-3)],
      ['a CNN with batch norm, dropout, same padding, strides, 1x3 and 5x3 kernels with RMSprop', batchNormCnn, () => tf.train.rmsprop(1e-2)],
      ['a bidirectional GRU with SGD', bidirectionalGru, () => tf.train.sgd(0.5)],
    ];
    for (const [name, build, optimizer] of cases) {
      it(`trains ${name} on wasm with the same losses as on cpu`, async () => {
        await tf.setBackend('cpu');
        const template = build();
        // Seeded starting weights (Glorot-scaled normals for kernels; biases and batch-norm constants as built),
        // so the case is the same on every run: from the layers' own random start, two Adam steps at 1e-2
        // raised the loss in one CI run.
        const weights = template.getWeights().map((w, i) => {
          if (w.rank < 2) return w.clone();
          const fanOut = w.shape[w.rank - 1];
          const fanIn = w.size / fanOut;
          return tf.tidy(() => randn(w.shape, 100 + i).mul(Math.sqrt(2 / (fanIn + fanOut))));
        });
        template.dispose();
        const x = tf.tidy(() => randn([2, 28, 28, 1], 11).abs().clipByValue(0, 1));
        const y = tf.tidy(() => tf.oneHot(tf.tensor1d([3, 1], 'int32'), 10));
        const cpu = await lossesOn('cpu', build, optimizer, weights, [x, y], 2);
        const wasm = await lossesOn('wasm', build, optimizer, weights, [x, y], 2);
        assert.ok(cpu[1] < cpu[0], `training lowers the loss on cpu: ${cpu}`);
        for (let i = 0; i < cpu.length; i++) {
          assert.ok(Math.abs(wasm[i] - cpu[i]) < 1e-4 * Math.max(1, cpu[i]), `step ${i}: wasm ${wasm[i]} vs cpu ${cpu[i]}`);
        }
        tf.dispose([...weights, x, y]);
      });
    }
  });
});
