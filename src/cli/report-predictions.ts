/** Test-set predictions for a report's mistakes gallery, read back from a run folder. */
import type { Mnist } from '../data';
import { loadMnist } from '../data';
import { testPredictions } from '../report';
import type { TestPredictions } from '../report';
import type { Run } from '../tracking';

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
