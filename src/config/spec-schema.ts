/** The rules every RunSpec field must follow (ranges, types, allowed names), in the schema.ts language. */
import {
  DEFAULT_BLOCK, DEFAULT_EARLY_STOPPING, DEFAULT_MODELS, DEFAULT_SCHEDULES, MNIST_TEST_SIZE, MNIST_TRAIN_SIZE,
} from './defaults';
import type { Rule } from './schema';

const int = (min: number, max?: number): Rule => ({ t: 'number', int: true, min, max });
const fraction: Rule = { t: 'number', min: 0, below: 1 }; // [0, 1)
const positive: Rule = { t: 'number', above: 0 };
const positiveInt = int(1);

const CONV_BLOCK: Rule = {
  t: 'object',
  fields: {
    filters: int(1, 4096),
    kernelSize: {
      t: 'either',
      describe: 'an integer >= 1 or a pair [height, width] of them',
      options: [positiveInt, { t: 'array', of: positiveInt, min: 2 }],
    },
    convs: int(1, 16),
    padding: { t: 'enum', values: ['same', 'valid'] },
    batchNorm: { t: 'bool' },
    pool: { t: 'nullable', of: int(1, 28), fill: 2 },
    dropout: fraction,
    stride: int(1, 28),
  },
};

export const CNN_RULE: Rule = {
  t: 'object',
  fields: {
    kind: { t: 'enum', values: ['cnn', 'rnn', 'ensemble'] },
    blocks: { t: 'array', of: CONV_BLOCK, element: DEFAULT_BLOCK, min: 1 },
    dense: { t: 'array', of: int(1, 65536) },
    denseDropout: fraction,
    activation: { t: 'enum', values: ['relu', 'elu', 'tanh'] },
  },
};

export const RNN_RULE: Rule = {
  t: 'object',
  fields: {
    kind: { t: 'enum', values: ['cnn', 'rnn', 'ensemble'] },
    cell: { t: 'enum', values: ['lstm', 'gru'] },
    layers: int(1, 8),
    units: int(1, 4096),
    bidirectional: { t: 'bool' },
    dropout: fraction,
  },
};

const MEMBER_MODEL: Rule = {
  t: 'kinds',
  variants: { cnn: CNN_RULE, rnn: RNN_RULE },
  defaults: { cnn: DEFAULT_MODELS.cnn, rnn: DEFAULT_MODELS.rnn },
  fallback: 'cnn',
};

const nonEmpty: Rule = { t: 'string' };

const ENSEMBLE_RULE: Rule = {
  t: 'object',
  fields: {
    kind: { t: 'enum', values: ['cnn', 'rnn', 'ensemble'] },
    combine: { t: 'enum', values: ['average', 'vote', 'weighted'] },
    members: {
      t: 'array',
      min: 2,
      of: {
        t: 'oneOf',
        keys: {
          spec: { t: 'object', fields: { spec: MEMBER_MODEL, name: nonEmpty } },
          run: { t: 'object', fields: { run: nonEmpty } },
          trial: { t: 'object', fields: { trial: nonEmpty, hash: nonEmpty } },
        },
      },
    },
  },
};

export const MODEL_RULE: Rule = {
  t: 'kinds',
  variants: { cnn: CNN_RULE, rnn: RNN_RULE, ensemble: ENSEMBLE_RULE },
  defaults: DEFAULT_MODELS,
};

const kindField: Rule = { t: 'enum', values: Object.keys(DEFAULT_SCHEDULES) };

const SCHEDULE_RULE: Rule = {
  t: 'kinds',
  defaults: DEFAULT_SCHEDULES,
  variants: {
    none: { t: 'object', fields: { kind: kindField } },
    exponential: { t: 'object', fields: { kind: kindField, decayRate: { t: 'number', above: 0, max: 1 }, decayEpochs: positiveInt } },
    step: { t: 'object', fields: { kind: kindField, stepEpochs: positiveInt, factor: { t: 'number', above: 0, max: 1 } } },
    plateau: {
      t: 'object',
      fields: { kind: kindField, factor: { t: 'number', above: 0, below: 1 }, patience: positiveInt, minLearningRate: { t: 'number', min: 0 } },
    },
  },
};

export const TRAIN_RULE: Rule = {
  t: 'object',
  fields: {
    optimizer: {
      t: 'object',
      fields: { name: { t: 'enum', values: ['adam', 'sgd', 'rmsprop'] }, learningRate: positive, momentum: fraction },
    },
    batchSize: int(1, 65536),
    epochs: int(1, 10000),
    schedule: SCHEDULE_RULE,
    earlyStopping: {
      t: 'nullable',
      fill: DEFAULT_EARLY_STOPPING,
      of: {
        t: 'object',
        fields: { monitor: { t: 'enum', values: ['val_loss', 'val_accuracy'] }, patience: positiveInt, minDelta: { t: 'number', min: 0 } },
      },
    },
    augment: {
      t: 'object',
      fields: {
        enabled: { t: 'bool' },
        rotation: { t: 'number', min: 0, max: 180 },
        shift: { t: 'number', min: 0, max: 0.5 },
        zoom: fraction,
      },
    },
    replicas: int(1, 16),
    ema: { t: 'nullable', of: { t: 'number', above: 0, below: 1 }, fill: null },
  },
};

export const DATA_RULE: Rule = {
  t: 'object',
  fields: {
    trainLimit: { t: 'nullable', of: int(1, MNIST_TRAIN_SIZE), fill: null },
    testLimit: { t: 'nullable', of: int(1, MNIST_TEST_SIZE), fill: null },
    validationFraction: { t: 'number', above: 0, below: 1 },
    splitSeed: int(0, 2 ** 31 - 1),
  },
};

/** The whole RunSpec: what `data`, `model`, `train` and `seed` in an experiment file may hold. */
export const RUN_SPEC_RULE: Rule = {
  t: 'object',
  fields: { data: DATA_RULE, model: MODEL_RULE, train: TRAIN_RULE, seed: int(0, 2 ** 31 - 1) },
};

/** The top-level keys of an experiment file besides the RunSpec fields. */
export const EXPERIMENT_KEYS = ['name', 'description', 'extends', 'grid', 'random', 'seeds', 'trials'] as const;
