/** Run tracking: the TrackingStore interface and its SQLite implementation. */
export * from './types';
export type { ClassMetrics, Evaluation, EpochMetrics, StepMetrics } from './records';
export { openStore, defaultDbPath, PROJECT_ROOT, type OpenOptions } from './open';
export { SqliteStore } from './store';
export { isPidAlive, LeaseLostError, isLeaseLost } from './lease';
export { newRunId } from './ids';
export { RUN_STATUSES } from './rows';
export { groupBySeed, stat, type SeedGroup, type Stat } from './groups';
export { configKey, isSeedParam } from './groups';
