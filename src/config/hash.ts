/** The identity of a run: a stable hash of its fully resolved spec. */
import { createHash } from 'node:crypto';
import { hashForm } from './complete';
import type { RunSpec } from './types';

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
 * First 16 hex digits of the sha256 of the resolved spec's canonical JSON. Writing a default
 * explicitly hashes the same as omitting it: resolution fills every default, and the fields added
 * after the first release are left out while at their default (complete.ts, one rule for all of them).
 * @example trialHash(loadExperiment('experiments/cnn-baseline.yaml').base) // 'c9b2280721564860'
 */
export function trialHash(spec: RunSpec): string {
  return createHash('sha256').update(canonicalJson(hashForm(spec))).digest('hex').slice(0, 16);
}
