import * as tf from '@tensorflow/tfjs';
import type { CnnSpec, ModelSpec, RnnSpec } from '../config';
import { UserError } from '../errors';
import { buildCnn } from './cnn';
import { buildRnn } from './rnn';

/** Options every model factory takes. */
export interface BuildOptions {
  /** Seeds every weight initializer (one distinct seed per layer); omit for random weights. */
  seed?: number;
}

type Factory = (spec: CnnSpec | RnnSpec, options: BuildOptions) => tf.LayersModel;

/** Model kinds that build into one trainable network, by `model.kind`. */
const factories: Record<string, Factory> = {
  cnn: (spec, options) => buildCnn(spec as CnnSpec, options),
  rnn: (spec, options) => buildRnn(spec as RnnSpec, options),
};

/** The kinds `buildModel` accepts. */
export function modelKinds(): string[] {
  return Object.keys(factories);
}

/**
 * Builds an untrained model from its spec by looking up the factory for `spec.kind`.
 * Input [batch, 28, 28, 1] in [0,1], output [batch, 10] class probabilities.
 *
 * @example const model = buildModel({ kind: 'rnn', cell: 'lstm', layers: 1, units: 128, bidirectional: false, dropout: 0 }, { seed: 7 });
 * @throws UserError for an unknown kind (listing the valid ones) or an ensemble spec.
 */
export function buildModel(spec: CnnSpec | RnnSpec, options: BuildOptions = {}): tf.LayersModel {
  const kind = (spec as ModelSpec).kind;
  if (kind === 'ensemble') {
    throw new UserError(
      'model.kind "ensemble" is not one network: train its members (kinds ' +
        `${modelKinds().join(', ')}) and combine their stored probabilities with combineProbabilities`,
    );
  }
  const factory = Object.prototype.hasOwnProperty.call(factories, kind) ? factories[kind] : undefined;
  if (!factory) {
    throw new UserError(`model.kind ${JSON.stringify(kind)} is not a known model kind; use one of: ${modelKinds().join(', ')} (or ensemble)`);
  }
  return factory(spec, options);
}
