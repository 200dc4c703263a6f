/** Test-set predictions for a report's mistakes gallery, read back from a run folder. */
import type { Mnist } from '../data/types';
import { loadMnist } from '../data/mnist';
import { testPredictions } from '../report/predictions';
import type { TestPredictions } from '../report/types';
import type { Run } from '../tracking/types';

/**
 * A loader for writeReport's `loadPredictions`: the run's stored test probabilities, with the
 * digits' pixels from MNIST (loaded once, on first use); no pictures when MNIST cannot be read.
 */
export function predictionsLoader(dataDir?: string): (run: Run) => Promise<TestPredictions | null> {
  let mnist: Promise<Mnist | null> | null = null;
  return async (run) => {
    if (!run.artifactDir) return null;
    mnist ??= loadMnist({ dataDir, download: false }).catch(() => null);
    return testPredictions(run, (await mnist)?.test);
  };
}
