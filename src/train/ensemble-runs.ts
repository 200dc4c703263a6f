import { UserError } from '../errors';
import { combineProbabilities, CombineMethod, weightsFromAccuracy } from '../models';
import type { RunArtifacts } from '../tracking';
import { evaluate } from './metrics';
import type { Evaluation } from './types';

export interface EnsembleResult {
  method: CombineMethod;
  weights: number[]; // per member, summing to 1
  testProbs: Float32Array; // [N*10]
  labels: Uint8Array;
  test: Evaluation;
}

/**
 * Combines finished runs from their stored test probabilities (no retraining). `weighted` uses
 * each member's validation accuracy; all members must have predicted the same test images.
 *
 * @example combineRuns(['runs/a', 'runs/b'].map(readRunArtifacts), 'vote').test.accuracy
 * @throws UserError when a member has no stored probabilities or predicted other images.
 */
export function combineRuns(members: RunArtifacts[], method: CombineMethod): EnsembleResult {
  if (members.length === 0) throw new UserError('an ensemble needs at least one finished member run');
  const stored = members.map((m) => {
    if (!m.testProbs || !m.validation) throw new UserError(`${m.dir}: has no stored test probabilities (status ${m.status}); only finished runs can join an ensemble`);
    return m.testProbs;
  });
  const labels = stored[0].labels;
  members.forEach((m, i) => {
    const other = stored[i].labels;
    if (other.length !== labels.length || other.some((l, k) => l !== labels[k])) {
      throw new UserError(`${m.dir}: predicted ${other.length} test images that differ from ${members[0].dir}'s ${labels.length}; ensemble members need the same data.testLimit`);
    }
  });
  const weights = method === 'weighted' ? weightsFromAccuracy(members.map((m) => m.validation!.accuracy)) : members.map(() => 1 / members.length);
  const testProbs = combineProbabilities(stored.map((s) => s.probs), method, weights);
  return { method, weights, testProbs, labels, test: evaluate(testProbs, labels) };
}
