/** The records training produces are the tracking store's vocabulary; they are defined there. */
export type { ClassMetrics, Evaluation, EpochMetrics, StepMetrics } from '../tracking';
