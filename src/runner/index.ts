/** The runner: a grid of trials in worker processes or on a cluster, resumable, crash-safe. */
export { runGrid, MAX_WORKER_DEATHS, type GridOptions } from './run-grid';
export { planGrid, type GridPlan } from './plan';
export { TrialQueue, type QueuedTrial, type NextTrial } from './queue';
export type { RunnerEvent, GridResult, TrialResult } from './events';
export type { WorkerSetup, ParentMessage, WorkerMessage, TrialOutcome } from './messages';
export { EXECUTORS, localExecutor, slurmExecutor, type Executor, type ExecutorName } from './executor';
export * from './slurm';
