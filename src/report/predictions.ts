/** A run's stored test-set predictions, for the mistakes gallery (report and notebooks). */
import type { DigitSet } from '../data';
import { readRunArtifacts, type Run } from '../tracking';
import type { TestPredictions } from './types';

/**
 * The run's stored test probabilities and labels, with the digits' pixels from `test` when given
 * (the stored rows are the first N test images); null when the run has no stored predictions.
 * @example findMistakes(testPredictions(best, mnist.test)!, 40)
 */
export function testPredictions(run: Run, test?: DigitSet | null): TestPredictions | null {
  if (!run.artifactDir) return null;
  const stored = readRunArtifacts(run.artifactDir).testProbs;
  if (!stored) return null;
  const size = test ? test.rows * test.cols : 0;
  const images = test && stored.labels.length <= test.count ? test.images.subarray(0, stored.labels.length * size) : undefined;
  return { probs: stored.probs, labels: stored.labels, images };
}
