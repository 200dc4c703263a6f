/** The resolved spec a bench:accuracy member trains, shared by the trainer and --reuse matching. */
import { defaultRunSpec } from '../src/config/defaults';
import type { RunSpec } from '../src/config/types';
import { applyPreset } from '../src/models/presets';

/** One trained model of a bench:accuracy entry. */
export interface Member {
  preset: string;
  seed: number;
  replicas?: number; // threads, instead of the preset's train.replicas (an ensemble member trained on one thread beside another)
}

/** The bench's command-line overrides, the same for every member. */
export interface Overrides {
  epochs?: number;
  trainLimit?: number;
}

/**
 * A preset applied to the defaults, with the member's seed and thread count and the bench's overrides.
 * @example memberSpec({ preset: 'cnn-strong', seed: 2 }).train.epochs // 22
 */
export function memberSpec(m: Member, overrides: Overrides = {}): RunSpec {
  const spec = applyPreset(defaultRunSpec(), m.preset);
  spec.seed = m.seed;
  if (m.replicas) spec.train.replicas = m.replicas;
  if (overrides.epochs) spec.train.epochs = overrides.epochs;
  if (overrides.trainLimit) spec.data.trainLimit = overrides.trainLimit;
  return spec;
}
