/** Seeded random search: distributions over hyperparameters, sampled reproducibly. */
import { isMapping, type Issue, type PathSeg } from './schema';
import { createRng } from '../random';
import { setOwn } from './merge';

export type Distribution =
  | { uniform: [number, number] }
  | { loguniform: [number, number] }
  | { int: [number, number] }
  | { choice: unknown[] };

export interface RandomSearch {
  n: number;
  seed?: number;
  params: Record<string, Distribution>;
}

const KINDS = ['uniform', 'loguniform', 'int', 'choice'];

/** Problems with one distribution (path is where it was written, e.g. ['random','params','train.batchSize']). */
export function distributionIssues(d: unknown, path: PathSeg[]): Issue[] {
  const keys = isMapping(d) ? Object.keys(d) : [];
  if (!isMapping(d) || keys.length !== 1 || !KINDS.includes(keys[0])) {
    return [{ path, rule: `must be one of {uniform: [a, b]}, {loguniform: [a, b]}, {int: [a, b]}, {choice: [...]}`, got: d }];
  }
  const kind = keys[0];
  const arg = d[kind];
  if (kind === 'choice') {
    return Array.isArray(arg) && arg.length > 0 ? [] : [{ path: [...path, kind], rule: 'must be a non-empty list', got: arg }];
  }
  const pair = Array.isArray(arg) && arg.length === 2 && arg.every((x) => typeof x === 'number' && Number.isFinite(x));
  if (!pair || arg[0] > arg[1]) {
    return [{ path: [...path, kind], rule: 'must be a pair [low, high] of numbers with low <= high', got: arg }];
  }
  if (kind === 'loguniform' && arg[0] <= 0) return [{ path: [...path, kind], rule: 'needs low > 0', got: arg }];
  if (kind === 'int' && !arg.every(Number.isInteger)) return [{ path: [...path, kind], rule: 'needs integer bounds', got: arg }];
  return [];
}

/** Rounds to 4 significant digits so sampled values read well in names and hash stably. */
function tidy(x: number): number {
  return Number(x.toPrecision(4));
}

function sample(d: Distribution, next: () => number): unknown {
  if ('choice' in d) return d.choice[Math.floor(next() * d.choice.length)];
  if ('int' in d) return d.int[0] + Math.floor(next() * (d.int[1] - d.int[0] + 1));
  if ('loguniform' in d) {
    const [lo, hi] = d.loguniform.map(Math.log);
    return tidy(Math.exp(lo + next() * (hi - lo)));
  }
  return tidy(d.uniform[0] + next() * (d.uniform[1] - d.uniform[0]));
}

/**
 * `n` samples of every parameter, the same for the same seed.
 * @example sampleRandom({n: 2, seed: 7, params: {'train.optimizer.learningRate': {loguniform: [1e-4, 1e-2]}}})
 */
export function sampleRandom(search: RandomSearch): Record<string, unknown>[] {
  const next = createRng(search.seed ?? 0);
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < search.n; i++) {
    const point: Record<string, unknown> = {};
    for (const [key, d] of Object.entries(search.params)) setOwn(point, key, sample(d, next));
    out.push(point);
  }
  return out;
}
