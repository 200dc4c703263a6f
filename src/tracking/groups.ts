/** Grouping runs that differ only in their seed, with mean and standard deviation of their metrics. */
import type { Run } from './types';

export interface Stat {
  mean: number;
  std: number; // sample standard deviation (n - 1); 0 for a single run
  n: number;
}

export interface SeedGroup {
  experiment: string;
  name: string; // the first run's name without its "seed=N" part
  runs: Run[];
  seeds: number[];
  valAccuracy: Stat | null;
  testAccuracy: Stat | null;
  trainSeconds: Stat | null;
}

/** Mean and sample std of the finite values, or null if there are none. */
export function stat(values: (number | null | undefined)[]): Stat | null {
  const xs = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (xs.length === 0) return null;
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const variance = xs.length > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (xs.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), n: xs.length };
}

/** Params that identify a random seed (the run's, or a nested one such as an ensemble member's). */
export function isSeedParam(key: string): boolean {
  return key === 'seed' || key.endsWith('.seed');
}

/** Identity of a run's config: its experiment and every param except seeds. */
export function configKey(run: Run): string {
  const entries = Object.entries(run.params)
    .filter(([key]) => !isSeedParam(key))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${run.experiment}\u0000${JSON.stringify(entries)}`;
}

/**
 * Groups runs that differ only in seeds (same experiment and configKey), in order of first appearance.
 * @example groupBySeed(store.listRuns({ experiment: ['cnn-grid'], status: ['finished'] }))
 */
export function groupBySeed(runs: Run[]): SeedGroup[] {
  const groups = new Map<string, Run[]>();
  for (const run of runs) {
    const key = configKey(run);
    groups.set(key, [...(groups.get(key) ?? []), run]);
  }
  return [...groups.values()].map((members) => ({
    experiment: members[0].experiment,
    name: members[0].name.replace(/\s*\bseed=\d+\b/, '').trim() || members[0].experiment,
    runs: members,
    seeds: members.map((r) => r.seed).sort((a, b) => a - b),
    valAccuracy: stat(members.map((r) => r.validation?.accuracy)),
    testAccuracy: stat(members.map((r) => r.test?.accuracy)),
    trainSeconds: stat(members.map((r) => r.summary?.trainSeconds)),
  }));
}
