import * as tf from '@tensorflow/tfjs';
import type { CnnSpec, ConvBlockSpec } from '../config';
import { cnnShapeProblem } from '../config';
import { UserError } from '../errors';
import { SeedSequence } from './seeds';

/**
 * Builds a convolutional classifier from its spec: conv blocks, then a dense head, then a 10-way
 * softmax. Input [batch, 28, 28, 1] in [0,1]; output [batch, 10] probabilities.
 *
 * @example buildCnn(loadTrial({ preset: 'cnn-default' }).spec.model as CnnSpec, { seed: 1 }).summary()
 */
export function buildCnn(spec: CnnSpec, options: { seed?: number } = {}): tf.Sequential {
  checkCnnShape(spec);
  const seeds = new SeedSequence(options.seed);
  const model = tf.sequential({ name: 'cnn' });
  model.add(tf.layers.inputLayer({ inputShape: [28, 28, 1] }));
  spec.blocks.forEach((block) => addConvBlock(model, block, spec.activation, seeds));
  model.add(tf.layers.flatten());
  for (const units of spec.dense) {
    model.add(tf.layers.dense({ units, activation: spec.activation, kernelInitializer: seeds.glorot() }));
    if (spec.denseDropout > 0) model.add(tf.layers.dropout({ rate: spec.denseDropout }));
  }
  model.add(tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: seeds.glorot() }));
  return model;
}

/** One block: `convs` convolutions (each conv -> [batch norm] -> activation), then pool, then dropout. */
function addConvBlock(model: tf.Sequential, block: ConvBlockSpec, activation: CnnSpec['activation'], seeds: SeedSequence): void {
  for (let i = 0; i < block.convs; i++) {
    model.add(
      tf.layers.conv2d({
        filters: block.filters,
        kernelSize: block.kernelSize,
        padding: block.padding,
        strides: block.stride,
        // With batch norm the bias is redundant (BN's beta shifts) and the activation follows BN.
        useBias: !block.batchNorm,
        activation: block.batchNorm ? 'linear' : activation,
        kernelInitializer: seeds.glorot(),
      }),
    );
    if (block.batchNorm) {
      model.add(tf.layers.batchNormalization());
      model.add(tf.layers.activation({ activation }));
    }
  }
  if (block.pool !== null) model.add(tf.layers.maxPooling2d({ poolSize: block.pool, strides: block.pool }));
  if (block.dropout > 0) model.add(tf.layers.dropout({ rate: block.dropout }));
}

/** An impossible spec (built by hand, not through the resolver) fails with the resolver's message. */
function checkCnnShape(spec: CnnSpec): void {
  const problem = cnnShapeProblem(spec);
  if (problem) throw new UserError(`model.blocks.${problem.block}: ${problem.rule}`);
}
