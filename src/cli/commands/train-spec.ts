/** Turns `digits train` flags into a resolved RunSpec: defaults, then a preset or model kind, then flags. */
import { DEFAULT_MODELS, defaultRunSpec } from '../../config';
import type { RunSpec } from '../../config';
import { UserError } from '../../errors';
import { applyPreset, getPreset } from '../../models';

export interface TrainFlags {
  model?: 'cnn' | 'rnn';
  preset?: string;
  epochs?: number;
  lr?: number;
  batchSize?: number;
  optimizer?: 'adam' | 'sgd' | 'rmsprop';
  trainLimit?: number;
  testLimit?: number;
  seed?: number;
  splitSeed?: number;
  augment?: boolean;
  replicas?: number;
  ema?: number;
}

/**
 * The run spec `digits train` trains. Every bad flag is reported at once.
 * @example specFromFlags({ preset: 'lstm-128', epochs: 2 })
 */
export function specFromFlags(flags: TrainFlags): RunSpec {
  const problems = checkFlags(flags);
  if (problems.length > 0) throw new UserError(problems.join('\n'));
  let spec = defaultRunSpec();
  if (flags.preset !== undefined) {
    const kind = getPreset(flags.preset).model.kind;
    if (flags.model !== undefined && flags.model !== kind) {
      throw new UserError(`--model ${flags.model} contradicts --preset ${flags.preset} (a ${kind} preset); drop one of them`);
    }
    spec = applyPreset(spec, flags.preset);
  } else if (flags.model !== undefined) {
    spec.model = structuredClone(DEFAULT_MODELS[flags.model]);
  }
  if (flags.epochs !== undefined) spec.train.epochs = flags.epochs;
  if (flags.lr !== undefined) spec.train.optimizer.learningRate = flags.lr;
  if (flags.optimizer !== undefined) spec.train.optimizer.name = flags.optimizer;
  if (flags.batchSize !== undefined) spec.train.batchSize = flags.batchSize;
  if (flags.trainLimit !== undefined) spec.data.trainLimit = flags.trainLimit;
  if (flags.testLimit !== undefined) spec.data.testLimit = flags.testLimit;
  if (flags.seed !== undefined) spec.seed = flags.seed;
  if (flags.splitSeed !== undefined) spec.data.splitSeed = flags.splitSeed; // the seed itself hashes like the unwritten field
  if (flags.augment !== undefined) spec.train.augment.enabled = flags.augment;
  if (flags.replicas !== undefined) spec.train.replicas = flags.replicas; // 1 hashes like the unwritten field
  if (flags.ema !== undefined) spec.train.ema = flags.ema;
  return spec;
}

function checkFlags(f: TrainFlags): string[] {
  const problems: string[] = [];
  const int = (name: string, v: number | undefined, min: number, max = Infinity) => {
    if (v !== undefined && !(Number.isInteger(v) && v >= min && v <= max)) {
      problems.push(`--${name} must be a whole number from ${min}${max < Infinity ? ` to ${max}` : ' up'}, got ${String(v)}`);
    }
  };
  int('epochs', f.epochs, 1);
  int('batch-size', f.batchSize, 1);
  int('train-limit', f.trainLimit, 20, 60000);
  int('test-limit', f.testLimit, 1, 10000);
  int('seed', f.seed, 0);
  int('split-seed', f.splitSeed, 0, 2 ** 31 - 1);
  int('replicas', f.replicas, 1, 16);
  if (f.ema !== undefined && !(f.ema > 0 && f.ema < 1)) problems.push(`--ema must be a decay between 0 and 1, got ${String(f.ema)}; e.g. --ema 0.999`);
  if (f.lr !== undefined && !(f.lr > 0 && Number.isFinite(f.lr))) problems.push(`--lr must be a positive number, got ${String(f.lr)}; e.g. --lr 0.001`);
  return problems;
}
