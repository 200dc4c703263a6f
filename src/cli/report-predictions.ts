/** Test-set predictions for a report's mistakes gallery, read back from a run folder. */
import type { Mnist } from '../data/types';
import { loadMnist } from '../data/mnist';
import type { TestPredictions } from '../report/types';
import type { Run } from '../tracking/types';
import { readRunArtifacts } from '../train/artifacts';

/**
 * A loader for writeReport's `loadPredictions`: the run's stored test probabilities, with the
 * digits' pixels from MNIST (loaded once, on first use); no pictures when MNIST cannot be read.
 */
export function predictionsLoader(dataDir?: string): (run: Run) => Promise<TestPredictions | null> {
  let mnist: Promise<Mnist | null> | null = null;
  return async (run) => {
    if (!run.artifactDir) return null;
    const stored = readRunArtifacts(run.artifactDir).testProbs;
    if (!stored) return null;
    mnist ??= loadMnist({ dataDir, download: false }).catch(() => null);
    const test = (await mnist)?.test;
    const pixels = test ? test.rows * test.cols : 0;
    const images = test && stored.labels.length <= test.count ? test.images.subarray(0, stored.labels.length * pixels) : undefined;
    return { probs: stored.probs, labels: stored.labels, images };
  };
}
