/** The resolved spec a bench:accuracy member trains, shared by the trainer and --reuse matching. */
import { loadTrial, type RunSpec } from '../src/config';

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
 * A preset (experiments/presets/) on the config path, with the member's seed and thread count and the bench's overrides.
 * @example memberSpec({ preset: 'cnn-strong', seed: 2 }).train.epochs // 22
 */
export function memberSpec(m: Member, overrides: Overrides = {}): RunSpec {
  const set: Record<string, unknown> = { seed: m.seed };
  if (m.replicas) set['train.replicas'] = m.replicas;
  if (overrides.epochs) set['train.epochs'] = overrides.epochs;
  if (overrides.trainLimit) set['data.trainLimit'] = overrides.trainLimit;
  return loadTrial({ preset: m.preset, overrides: set }).spec;
}
