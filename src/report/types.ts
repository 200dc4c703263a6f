/**
 * Plain data the report is built from. Spec builders are pure functions of these objects, so a
 * notebook can build the same charts from `store.listRuns()` without the HTML writer.
 */
import type { Run } from '../tracking';
import type { EpochMetrics, StepMetrics } from '../train';

/** The test-set predictions of one run, in test-set order (image i of MNIST's t10k file first). */
export interface TestPredictions {
  /** Softmax outputs, row-major [count, 10]. */
  probs: Float32Array;
  /** True labels, length count. */
  labels: Uint8Array;
  /** Raw pixels, count * 28 * 28 bytes (0 = background); without them the gallery shows no pictures. */
  images?: Uint8Array;
}

/** Everything a report shows. */
export interface ReportData {
  runs: Run[];
  /** Per-epoch metrics by run id; runs without an entry simply have no curve. */
  histories: Map<string, EpochMetrics[]>;
  /** Per-step training metrics by run id (train/steps.ts); runs without an entry have no step curve. */
  steps?: Map<string, StepMetrics[]>;
  /**
   * Test predictions by run id, for the runs whose confusion cells open their mistakes in the page
   * (collectReportData loads the best few); the best run's also fill the initial gallery.
   */
  predictions?: Map<string, TestPredictions>;
  /** Predictions of the best run (see bestRun) for the mistakes gallery. */
  bestPredictions?: TestPredictions;
  /** Why the best run's predictions could not be read, shown where the gallery would be. */
  predictionsProblem?: string;
}

/** One misclassified test digit, ready for an HTML gallery. */
export interface Mistake {
  index: number; // position in the test set
  label: number; // true class
  predicted: number; // arg-max class
  probability: number; // probability of the predicted class
  trueProbability: number; // probability given to the true class
  image: string | null; // PNG data URL of the 28 x 28 digit, null when images were not given
}
