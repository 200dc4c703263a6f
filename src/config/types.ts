/**
 * The typed, fully-defaulted shape of an experiment and of one run.
 * YAML files (experiments/*.yaml) only write differences from the defaults; src/config turns them
 * into these objects. Every other module reads these types and nothing else of the YAML.
 */

/** One convolution block: `convs` conv layers, then optional batch norm, pooling and dropout. */
export interface ConvBlockSpec {
  filters: number;
  kernelSize: number | [number, number];
  convs: number;
  padding: 'same' | 'valid';
  batchNorm: boolean;
  pool: number | null; // max-pool size and stride; null = no pooling
  dropout: number; // 0 = none
  /** Stride of every convolution in the block (1 = none). */
  stride: number;
}

export interface CnnSpec {
  kind: 'cnn';
  blocks: ConvBlockSpec[];
  dense: number[]; // hidden dense layer widths before the 10-way softmax
  denseDropout: number;
  activation: 'relu' | 'elu' | 'tanh';
}

export interface RnnSpec {
  kind: 'rnn';
  cell: 'lstm' | 'gru';
  layers: number;
  units: number;
  bidirectional: boolean;
  dropout: number;
}

/** A member trained as part of the ensemble run, a finished run, or another trial of the experiment. */
export type EnsembleMember =
  | { spec: CnnSpec | RnnSpec; name?: string }
  | { run: string }
  | { trial: string; hash?: string }; // `hash`: the member trial's hash, filled in by expandTrials

export interface EnsembleSpec {
  kind: 'ensemble';
  combine: 'average' | 'vote' | 'weighted';
  members: EnsembleMember[];
}

export type ModelSpec = CnnSpec | RnnSpec | EnsembleSpec;
export type ModelKind = ModelSpec['kind'];

export type LrSchedule =
  | { kind: 'none' }
  | { kind: 'exponential'; decayRate: number; decayEpochs: number }
  | { kind: 'step'; stepEpochs: number; factor: number }
  | { kind: 'plateau'; factor: number; patience: number; minLearningRate: number };

export interface OptimizerSpec {
  name: 'adam' | 'sgd' | 'rmsprop';
  learningRate: number; // default 0.001
  momentum: number; // sgd and rmsprop
}

export interface EarlyStoppingSpec {
  monitor: 'val_loss' | 'val_accuracy';
  patience: number;
  minDelta: number;
}

export interface AugmentSpec {
  enabled: boolean;
  rotation: number; // max degrees either way
  shift: number; // max fraction of the side either way
  zoom: number; // max relative zoom either way (0.1 = 90%..110%)
}

export interface TrainSpec {
  optimizer: OptimizerSpec;
  batchSize: number;
  epochs: number;
  schedule: LrSchedule;
  earlyStopping: EarlyStoppingSpec | null;
  augment: AugmentSpec;
  /**
   * Data-parallel replicas, one thread each: every batch is split between them and their averaged
   * gradients make one step. 1 = no threads.
   */
  replicas: number;
  /**
   * Decay of an exponential moving average of the trainable weights, per step (e.g. 0.999); null
   * means none. Validation, early stopping and the saved model then use the averaged weights.
   */
  ema: number | null;
}

export interface DataSpec {
  trainLimit: number | null; // use the first N training images (tests, quick runs); null = all 60,000
  testLimit: number | null; // null = all 10,000
  validationFraction: number; // held out of the training images, drawn with splitSeed
  /**
   * Seed of the train/validation split; defaults to the run's seed. Runs that share it (and the
   * fields above) hold out the same validation images whatever their own seeds, so their
   * validation probabilities can be combined into an ensemble and compared.
   */
  splitSeed: number;
}

/** Everything that defines one run; its hash (see trialHash) is the run's identity. */
export interface RunSpec {
  data: DataSpec;
  model: ModelSpec;
  train: TrainSpec;
  seed: number;
}

/** One expanded point of an experiment: a resolved spec plus what made it differ from the base. */
export interface Trial {
  experiment: string;
  name: string; // readable, e.g. "cnn lr=0.001 seed=1"
  spec: RunSpec;
  hash: string;
  overrides: Record<string, unknown>; // dotted key -> value chosen by grid/random/seeds
}

/**
 * The experiment's `executor:` block: where its trials train by default (`digits run` flags win).
 * Not part of any trial's spec, so it never changes a trial hash.
 */
export interface ExecutorBlock {
  /** Where trials train: local worker processes (the default) or a Slurm job array. */
  kind?: 'local' | 'slurm';
  /** sbatch --partition; the cluster's default partition when unset. */
  partition?: string;
  /** sbatch --time, e.g. "2:00:00" or "90" (minutes); the partition's limit when unset. */
  timeLimit?: string;
  /** sbatch --cpus-per-task (default 1). */
  cpusPerTask?: number;
  /** Array tasks running at once (the %K of --array); unlimited when unset. */
  tasksAtOnce?: number;
  /** More sbatch arguments, passed as given (e.g. ["--account=ml", "--mem=4G"]). */
  extraArgs?: string[];
  /** Seconds before the time limit at which Slurm sends USR1 (default 60). */
  graceSeconds?: number;
  /** Times a task that reaches its time limit requeues itself before its trial is recorded failed (default 2). */
  maxRestarts?: number;
}

/** A loaded experiment file: its resolved base spec and every expanded trial. */
export interface Experiment {
  name: string;
  description: string;
  file: string;
  base: RunSpec;
  trials: Trial[];
  executor?: ExecutorBlock;
}

export function isEnsembleSpec(m: ModelSpec): m is EnsembleSpec {
  return m.kind === 'ensemble';
}
