/**
 * The one place where defaults live. Experiment files write only what differs from these.
 * Per-kind defaults: `model: {kind: rnn}` alone gives an LSTM-128; `{kind: ensemble}` a CNN + LSTM average.
 */
import type {
  AugmentSpec, CnnSpec, ConvBlockSpec, DataSpec, EarlyStoppingSpec, EnsembleSpec, LrSchedule,
  ModelKind, ModelSpec, OptimizerSpec, RnnSpec, RunSpec, TrainSpec,
} from './types';

/** A conv block as written with only `filters`: one 3x3 'same' conv at stride 1, 2x2 max-pool, no batch norm. */
export const DEFAULT_BLOCK: ConvBlockSpec = {
  filters: 32, kernelSize: 3, convs: 1, padding: 'same', batchNorm: false, pool: 2, dropout: 0, stride: 1,
};

/** The classic MNIST CNN: conv32 3x3 + pool2, conv64 3x3 + pool2, dense128, dense10. */
export const DEFAULT_CNN: CnnSpec = {
  kind: 'cnn',
  blocks: [{ ...DEFAULT_BLOCK, filters: 32 }, { ...DEFAULT_BLOCK, filters: 64 }],
  dense: [128],
  denseDropout: 0,
  activation: 'relu',
};

/** An LSTM-128 reading the image as 28 rows of 28 pixels. */
export const DEFAULT_RNN: RnnSpec = {
  kind: 'rnn', cell: 'lstm', layers: 1, units: 128, bidirectional: false, dropout: 0,
};

export const DEFAULT_ENSEMBLE: EnsembleSpec = {
  kind: 'ensemble',
  combine: 'average',
  members: [{ spec: DEFAULT_CNN, name: 'cnn' }, { spec: DEFAULT_RNN, name: 'lstm' }],
};

export const DEFAULT_MODELS: { [K in ModelKind]: Extract<ModelSpec, { kind: K }> } = {
  cnn: DEFAULT_CNN,
  rnn: DEFAULT_RNN,
  ensemble: DEFAULT_ENSEMBLE,
};

export const DEFAULT_OPTIMIZER: OptimizerSpec = { name: 'adam', learningRate: 0.001, momentum: 0.9 };

/** What each schedule kind means when written with only `kind`. */
export const DEFAULT_SCHEDULES: { [K in LrSchedule['kind']]: Extract<LrSchedule, { kind: K }> } = {
  none: { kind: 'none' },
  exponential: { kind: 'exponential', decayRate: 0.9, decayEpochs: 1 },
  step: { kind: 'step', stepEpochs: 5, factor: 0.5 },
  plateau: { kind: 'plateau', factor: 0.5, patience: 2, minLearningRate: 1e-5 },
};

/** Early stopping when switched on with `earlyStopping: {}` (it is off, null, by default). */
export const DEFAULT_EARLY_STOPPING: EarlyStoppingSpec = { monitor: 'val_loss', patience: 3, minDelta: 0 };

/** Augmentation settings; off by default, these ranges apply when `enabled: true`. */
export const DEFAULT_AUGMENT: AugmentSpec = { enabled: false, rotation: 10, shift: 0.1, zoom: 0.1 };

export const DEFAULT_TRAIN: TrainSpec = {
  optimizer: DEFAULT_OPTIMIZER,
  batchSize: 64,
  epochs: 10,
  schedule: DEFAULT_SCHEDULES.none,
  earlyStopping: null,
  augment: DEFAULT_AUGMENT,
  replicas: 1,
  ema: null,
};

/** The data settings whose defaults stand alone; `splitSeed` defaults to the run's seed (DERIVED_DEFAULTS). */
export const DEFAULT_DATA: Omit<DataSpec, 'splitSeed'> = { trainLimit: null, testLimit: null, validationFraction: 0.1 };

/**
 * Defaults that depend on another field of the same spec, filled after everything else is resolved
 * (so a grid over `seed` moves the split seed with it, unless the file writes one).
 */
export const DERIVED_DEFAULTS = {
  'data.splitSeed': (spec: { seed: number }): number => spec.seed,
} as const;

/** What the schema fills fields from, before DERIVED_DEFAULTS: the run spec less its derived fields. */
export const RESOLVE_DEFAULTS = {
  data: DEFAULT_DATA,
  model: DEFAULT_CNN,
  train: DEFAULT_TRAIN,
  seed: 1,
} as const;

/** The fully-defaulted run: the classic CNN, Adam 0.001, batch 64, 10 epochs, 10% validation, seed 1. */
export const DEFAULT_RUN_SPEC: RunSpec = {
  ...RESOLVE_DEFAULTS,
  data: { ...DEFAULT_DATA, splitSeed: DERIVED_DEFAULTS['data.splitSeed'](RESOLVE_DEFAULTS) },
};

/**
 * Fields added after the first release, each with its default (taken from above). A trial hash
 * leaves such a field out while it is at its default, so runs recorded before the field existed
 * keep their hashes, and a field written equal to its default hashes as if unwritten. Fields of
 * the first release need no entry: resolution fills them, so written or not they hash the same.
 * `*` stands for every item of a list. This table is the one place both rules come from
 * (config/complete.ts applies it to hashes and to specs stored before a field existed).
 */
export const LATE_FIELDS: readonly { key: string; dflt: (spec: RunSpec) => unknown }[] = [
  { key: 'model.blocks.*.stride', dflt: () => DEFAULT_BLOCK.stride },
  { key: 'model.members.*.spec.blocks.*.stride', dflt: () => DEFAULT_BLOCK.stride },
  { key: 'train.replicas', dflt: () => DEFAULT_TRAIN.replicas },
  { key: 'train.ema', dflt: () => DEFAULT_TRAIN.ema },
  { key: 'data.splitSeed', dflt: (spec) => DERIVED_DEFAULTS['data.splitSeed'](spec) },
];

/** MNIST sizes, used to bound `data.trainLimit` and `data.testLimit`. */
export const MNIST_TRAIN_SIZE = 60_000;
export const MNIST_TEST_SIZE = 10_000;
export const IMAGE_SIDE = 28;

/** A deep copy of the default spec, safe to modify. */
export function defaultRunSpec(): RunSpec {
  return structuredClone(DEFAULT_RUN_SPEC);
}
