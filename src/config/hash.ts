/** The identity of a run: a stable hash of its fully resolved spec. */
import { createHash } from 'node:crypto';
import type { ModelSpec, RunSpec } from './types';

/** JSON with object keys sorted at every level, so key order never changes the text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * First 16 hex digits of the sha256 of the resolved spec's canonical JSON. Pass a fully resolved
 * spec (as loadExperiment gives): writing a default explicitly then hashes the same as omitting it,
 * and so does an optional field written at its implicit value (a block's `stride: 1`, `train.replicas: 1`,
 * `data.splitSeed` equal to the seed).
 * @example trialHash(loadExperiment('experiments/cnn-baseline.yaml').base) // '3f9c0a1b2c3d4e5f'
 */
export function trialHash(spec: RunSpec): string {
  const plain = { ...spec, data: { ...spec.data }, model: withoutImplicit(spec.model), train: { ...spec.train } };
  if (plain.train.replicas === 1) delete plain.train.replicas;
  if (plain.data.splitSeed === spec.seed) delete plain.data.splitSeed;
  return createHash('sha256').update(canonicalJson(plain)).digest('hex').slice(0, 16);
}

/** The model spec without fields at their implicit value (a copy wherever one is dropped). */
function withoutImplicit(model: ModelSpec): ModelSpec {
  if (model.kind === 'cnn') return { ...model, blocks: model.blocks.map(({ stride, ...block }) => (stride === 1 ? block : { ...block, stride })) };
  if (model.kind === 'rnn') return model;
  return { ...model, members: model.members.map((m) => ('spec' in m ? { ...m, spec: withoutImplicit(m.spec) as typeof m.spec } : m)) };
}
