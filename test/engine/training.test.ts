import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { registerWasmGradients } from '../../src/engine';
import { randn } from './helpers';

/** The reference CNN: conv32 3x3, pool 2, conv64 3x3, pool 2, dense128, dense10. */
function referenceCnn(): tf.Sequential {
  const model = tf.sequential();
  model.add(tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 128, activation: 'relu' }));
  model.add(tf.layers.dense({ units: 10, activation: 'softmax' }));
  return model;
}

/** Losses of `steps` Adam steps from the given weights on one fixed batch. */
async function lossesOn(backend: string, weights: tf.Tensor[], x: tf.Tensor, y: tf.Tensor, steps: number): Promise<number[]> {
  await tf.setBackend(backend);
  const model = referenceCnn();
  model.setWeights(weights);
  model.compile({ optimizer: tf.train.adam(1e-2), loss: 'categoricalCrossentropy' });
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

    it('trains the reference CNN on wasm with the same losses as on cpu', async () => {
      await tf.setBackend('cpu');
      const template = referenceCnn();
      const weights = template.getWeights().map((w) => w.clone());
      template.dispose();
      const x = tf.tidy(() => randn([2, 28, 28, 1], 11).abs().clipByValue(0, 1));
      const y = tf.tidy(() => tf.oneHot(tf.tensor1d([3, 1], 'int32'), 10));
      const cpu = await lossesOn('cpu', weights, x, y, 2);
      const wasm = await lossesOn('wasm', weights, x, y, 2);
      assert.ok(cpu[1] < cpu[0], `training lowers the loss on cpu: ${cpu}`);
      for (let i = 0; i < cpu.length; i++) {
        assert.ok(Math.abs(wasm[i] - cpu[i]) < 1e-4 * Math.max(1, cpu[i]), `step ${i}: wasm ${wasm[i]} vs cpu ${cpu[i]}`);
      }
      tf.dispose([...weights, x, y]);
    });
  });
});
