import * as tf from '@tensorflow/tfjs';
import type { RnnSpec } from '../config';
import { SeedSequence } from './seeds';

/**
 * Builds a recurrent classifier that reads the image's 28 rows as a 28-step sequence of 28
 * features: stacked LSTM or GRU layers (optionally bidirectional), dropout between them, then a
 * 10-way softmax. Input [batch, 28, 28, 1]; output [batch, 10].
 *
 * Dropout is a separate layer after each recurrent layer (not the cells' internal dropout), so the
 * training loop can seed every mask and runs repeat exactly.
 *
 * @example buildRnn({ kind: 'rnn', cell: 'gru', layers: 1, units: 64, bidirectional: false, dropout: 0 }, { seed: 1 })
 */
export function buildRnn(spec: RnnSpec, options: { seed?: number } = {}): tf.Sequential {
  const seeds = new SeedSequence(options.seed);
  const model = tf.sequential({ name: spec.cell });
  model.add(tf.layers.reshape({ targetShape: [28, 28], inputShape: [28, 28, 1] })); // [batch, steps=28, features=28]
  for (let i = 0; i < spec.layers; i++) {
    const cellArgs = {
      units: spec.units,
      returnSequences: i < spec.layers - 1,
      kernelInitializer: seeds.glorot(),
      recurrentInitializer: seeds.glorot(),
    };
    const recurrent = spec.cell === 'lstm' ? tf.layers.lstm(cellArgs) : tf.layers.gru(cellArgs);
    model.add(spec.bidirectional ? tf.layers.bidirectional({ layer: recurrent, mergeMode: 'concat' }) : recurrent);
    if (spec.dropout > 0) model.add(tf.layers.dropout({ rate: spec.dropout }));
  }
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: seeds.glorot() }));
  return model;
}
