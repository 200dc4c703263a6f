/**
 * Ensembles combine members' stored class probabilities (Float32Array [N*10], row-major) without
 * retraining: finished runs referenced by id are combined from their test/validation probabilities.
 * Every function here is pure.
 */
import type { EnsembleSpec } from '../config';

export type CombineMethod = EnsembleSpec['combine'];

const CLASSES = 10;

/**
 * Combines members' probabilities into one [N*10] array.
 * - `average`: the mean of the members' probabilities.
 * - `weighted`: a weighted mean; weights come from `weights` (e.g. each member's validation
 *   accuracy via weightsFromAccuracy) and are normalised to sum 1.
 * - `vote`: each member votes for its top class; a row holds the vote shares, plus a tie-breaker
 *   of 1e-3 x the mean probability (renormalised), so ties go to the class with the higher mean
 *   probability and argmax of the row is the ensemble's answer.
 *
 * @example combineProbabilities([runA.testProbs, runB.testProbs], 'average')
 */
export function combineProbabilities(members: Float32Array[], method: CombineMethod, weights?: number[]): Float32Array {
  checkMembers(members);
  if (method === 'average') return weightedMean(members, members.map(() => 1 / members.length));
  if (method === 'weighted') {
    if (!weights || weights.length !== members.length) {
      throw new Error(`weighted ensemble needs one weight per member: ${members.length} members, ${weights?.length ?? 0} weights`);
    }
    const total = weights.reduce((a, b) => a + b, 0);
    if (!(total > 0) || weights.some((w) => w < 0)) throw new Error(`ensemble weights must be >= 0 with a positive sum, got ${weights.join(', ')}`);
    return weightedMean(members, weights.map((w) => w / total));
  }
  return majorityVote(members);
}

/** Member weights proportional to each member's validation accuracy (they sum to 1). */
export function weightsFromAccuracy(validationAccuracies: number[]): number[] {
  const total = validationAccuracies.reduce((a, b) => a + b, 0);
  return validationAccuracies.map((a) => a / total);
}

function weightedMean(members: Float32Array[], weights: number[]): Float32Array {
  const out = new Float32Array(members[0].length);
  members.forEach((probs, m) => {
    const w = weights[m];
    for (let i = 0; i < out.length; i++) out[i] += w * probs[i];
  });
  return out;
}

const TIE_BREAK = 1e-3;

function majorityVote(members: Float32Array[]): Float32Array {
  const mean = weightedMean(members, members.map(() => 1 / members.length));
  const out = new Float32Array(mean.length);
  const rows = mean.length / CLASSES;
  for (const probs of members) {
    for (let r = 0; r < rows; r++) out[r * CLASSES + argmaxRow(probs, r)] += 1;
  }
  const norm = members.length + TIE_BREAK;
  for (let i = 0; i < out.length; i++) out[i] = (out[i] + TIE_BREAK * mean[i]) / norm;
  return out;
}

function argmaxRow(probs: Float32Array, row: number): number {
  let best = 0;
  for (let c = 1; c < CLASSES; c++) if (probs[row * CLASSES + c] > probs[row * CLASSES + best]) best = c;
  return best;
}

function checkMembers(members: Float32Array[]): void {
  if (members.length === 0) throw new Error('an ensemble needs at least one member');
  const n = members[0].length;
  if (n % CLASSES !== 0) throw new Error(`member probabilities must be [N*10], got length ${n}`);
  members.forEach((m, i) => {
    if (m.length !== n) throw new Error(`ensemble member ${i} has ${m.length / CLASSES} rows, member 0 has ${n / CLASSES}: they must be predictions on the same images`);
  });
}
