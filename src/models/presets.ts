import type { AugmentSpec, CnnSpec, ConvBlockSpec, DataSpec, ModelSpec, RnnSpec, RunSpec, TrainSpec } from '../config';
import { UserError } from '../errors';

/** A named fragment of a RunSpec: the model in full, and only the training settings it changes. */
export interface Preset {
  name: string;
  description: string;
  model: ModelSpec;
  train?: Partial<Omit<TrainSpec, 'augment'>> & { augment?: Partial<AugmentSpec> };
  data?: Partial<DataSpec>;
}

/** A 3x3 'valid' block with a 2x2 max-pool: `convs` convolutions, batch norm or not, then dropout. */
function pooledBlock(filters: number, convs: number, batchNorm: boolean, dropout: number): ConvBlockSpec {
  return { filters, kernelSize: 3, convs, padding: 'valid', batchNorm, pool: 2, dropout };
}

/** Conv blocks, one dense hidden layer with dropout, then the softmax (relu throughout). */
function pooledCnn(blocks: ConvBlockSpec[], dense: number, denseDropout: number): CnnSpec {
  return { kind: 'cnn', blocks, dense: [dense], denseDropout, activation: 'relu' };
}

/**
 * The classic conv-pool-conv-pool-dense-dense network (the engine's reference CNN: 3x3 'valid'
 * convolutions), with dropout. ~440 training images per CPU-second on the wasm engine.
 */
const CLASSIC_CNN = pooledCnn([pooledBlock(32, 1, false, 0), pooledBlock(64, 1, false, 0.25)], 128, 0.5);

/**
 * Deeper, with batch norm in block 2 (two convolutions) only: before the engine's Tile kernel,
 * batch norm on the large 26x26 block-1 maps cost more than the convolutions (113 vs 173
 * img/CPU-s). With augmentation it trains at ~300 img/s on one core (~160 before the Tile kernel).
 */
const STRONG_CNN = pooledCnn([pooledBlock(32, 1, false, 0.25), pooledBlock(64, 2, true, 0.25)], 256, 0.5);

/** Two batch-normed convolutions in each block (block 1's second one at 24x24 doubles the cost). */
const DEEP_CNN = pooledCnn([pooledBlock(32, 2, true, 0.25), pooledBlock(64, 2, true, 0.25)], 256, 0.4);

/**
 * No pooling: each stage is two 3x3 convolutions and one with stride 2 (a learned downsampling,
 * `down` x `down`), then a 4x4 convolution to 1x1x128 and the softmax, with batch norm after every
 * convolution and dropout 0.4 after each stage. ~15 M multiply-adds an image with down = 5
 * (2.7x cnn-strong), ~12 M with down = 3.
 */
function stridedCnn(down: number): CnnSpec {
  const stage = (filters: number): ConvBlockSpec[] => [
    { filters, kernelSize: 3, convs: 2, padding: 'valid', batchNorm: true, pool: null, dropout: 0 },
    { filters, kernelSize: down, convs: 1, padding: 'same', batchNorm: true, pool: null, dropout: 0.4, stride: 2 },
  ];
  return {
    kind: 'cnn',
    blocks: [
      ...stage(32),
      ...stage(64),
      { filters: 128, kernelSize: 4, convs: 1, padding: 'valid', batchNorm: true, pool: null, dropout: 0.4 },
    ],
    dense: [],
    denseDropout: 0,
    activation: 'relu',
  };
}

/** One LSTM layer of 128 units over the 28 rows, dropout after it. */
const LSTM_128: RnnSpec = { kind: 'rnn', cell: 'lstm', layers: 1, units: 128, bidirectional: false, dropout: 0.2 };

/** Adam 0.001 decaying by `decayRate` each epoch, batch 64: the regime every trained preset starts from. */
function adamTraining(epochs: number, decayRate: number): NonNullable<Preset['train']> {
  return {
    epochs,
    batchSize: 64,
    optimizer: { name: 'adam', learningRate: 0.001, momentum: 0.9 },
    schedule: { kind: 'exponential', decayRate, decayEpochs: 1 },
  };
}

/** The augmented CNN presets: adamTraining, early stopping on validation accuracy (patience 5), rotation/shift/zoom. */
function augmentedTraining(epochs: number, decayRate: number): NonNullable<Preset['train']> {
  return {
    ...adamTraining(epochs, decayRate),
    earlyStopping: { monitor: 'val_accuracy', patience: 5, minDelta: 0 },
    augment: { enabled: true, rotation: 10, shift: 0.1, zoom: 0.1 },
  };
}

const presets: Preset[] = [
  {
    name: 'cnn-default',
    description: 'conv32-pool-conv64-pool-dense128 with dropout, Adam 0.001 decaying 20%/epoch, 8 epochs (measured: 99.34% test accuracy in 13.9 min on one core)',
    model: CLASSIC_CNN,
    train: adamTraining(8, 0.8),
  },
  {
    name: 'cnn-strong',
    description: 'conv32, 2x conv64+BN, dropout, dense256, augmentation, lr decay 10%/epoch, early stopping; 22 epochs (measured: 99.54% and 99.52% test accuracy for seeds 1 and 2, early-stopped after 17 and 19 epochs in 63 and 69 min, two trainings side by side)',
    model: STRONG_CNN,
    train: augmentedTraining(22, 0.9),
  },
  {
    name: 'cnn-deep',
    description: 'two conv32+BN, pool, two conv64+BN, pool, dense256, augmentation, lr decay 20%/epoch, early stopping; 12 epochs (measured: 99.50% test accuracy in 80.5 min on one core, best epoch 9; about half the speed of cnn-strong)',
    model: DEEP_CNN,
    train: augmentedTraining(12, 0.8),
  },
  {
    name: 'cnn-strided',
    description: '32C3-32C3-32C5S2, 64C3-64C3-64C5S2, 128C4: batch norm everywhere, dropout 0.4, stride-2 convolutions instead of pooling, augmentation, lr decay 15%/epoch, early stopping; 16 epochs on 2 replica threads (measured: 99.64% test accuracy, 75.3 min in the training loop, best epoch 13)',
    model: stridedCnn(5),
    train: { ...augmentedTraining(16, 0.85), replicas: 2 },
  },
  {
    name: 'cnn-strided-3',
    description: 'cnn-strided with 3x3 stride-2 convolutions (32C3S2, 64C3S2) for about a quarter less work; lr decay 25%/epoch; 8 epochs (measured: 99.54% test accuracy in 75 min beside another training)',
    model: stridedCnn(3),
    train: augmentedTraining(8, 0.75),
  },
  {
    name: 'lstm-128',
    description: 'LSTM with 128 units over the 28 rows, dropout 0.2, 15 epochs (measured: 98.80% test accuracy)',
    model: LSTM_128,
    train: adamTraining(15, 0.93),
  },
  {
    name: 'gru-128',
    description: 'GRU with 128 units over the 28 rows, dropout 0.2, 20 epochs',
    model: { ...LSTM_128, cell: 'gru' },
    train: adamTraining(20, 0.93),
  },
  {
    name: 'cnn-tiny',
    description: 'a very small CNN (conv4-pool-conv8-pool-dense16) for smoke tests and demos on slow backends',
    model: {
      kind: 'cnn',
      blocks: [
        { filters: 4, kernelSize: 3, convs: 1, padding: 'same', batchNorm: false, pool: 2, dropout: 0 },
        { filters: 8, kernelSize: 3, convs: 1, padding: 'same', batchNorm: false, pool: 2, dropout: 0 },
      ],
      dense: [16],
      denseDropout: 0,
      activation: 'relu',
    },
    train: { epochs: 1, batchSize: 32 },
  },
];

/** Names of every preset, in a stable order. */
export function presetNames(): string[] {
  return presets.map((p) => p.name);
}

/**
 * Looks up a preset by name.
 * @example getPreset('cnn-strong').model
 * @throws UserError naming the valid presets when the name is unknown.
 */
export function getPreset(name: string): Preset {
  const preset = presets.find((p) => p.name === name);
  if (!preset) throw new UserError(`preset ${JSON.stringify(name)} does not exist; use one of: ${presetNames().join(', ')}`);
  return structuredClone(preset);
}

/**
 * Returns `base` with a preset applied: the preset's model replaces the base model; its training
 * and data settings replace only the fields they name. `base` is not modified.
 *
 * @example applyPreset(defaultRunSpec(), 'lstm-128')
 */
export function applyPreset(base: RunSpec, name: string): RunSpec {
  const preset = getPreset(name);
  const spec = structuredClone(base);
  spec.model = preset.model;
  const { augment, ...train } = preset.train ?? {};
  spec.train = { ...spec.train, ...train, augment: { ...spec.train.augment, ...augment } };
  spec.data = { ...spec.data, ...preset.data };
  return spec;
}
