/** The resolved spec a bench:accuracy member trains, shared by the trainer and --reuse matching. */
import { defaultRunSpec } from '../src/config/defaults';
import type { RunSpec } from '../src/config/types';
import { applyPreset } from '../src/models/presets';

/**
 * A preset applied to the defaults, with the member's seed, its thread count if it sets one (an
 * ensemble member trained on one thread beside another), and the bench's overrides.
 * @example memberSpec('cnn-strong', 2).train.epochs // 22
 */
export function memberSpec(preset: string, seed: number, epochs?: number, trainLimit?: number, replicas?: number): RunSpec {
  const spec = applyPreset(defaultRunSpec(), preset);
  spec.seed = seed;
  if (replicas) spec.train.replicas = replicas;
  if (epochs) spec.train.epochs = epochs;
  if (trainLimit) spec.data.trainLimit = trainLimit;
  return spec;
}
