/**
 * Where a grid's trials train. Every executor takes the same planned grid (GridOptions) and gives
 * the same GridResult and RunnerEvents, so `digits run` and its live view do not care which one ran:
 *   local  worker processes on this machine (runGrid);
 *   slurm  one job-array task per trial, progress through run journals (runSlurmGrid).
 * docs/architecture.md describes how another (e.g. Kubernetes Indexed Jobs) would plug in.
 */
import type { GridResult } from './events';
import { runGrid, type GridOptions } from './run-grid';
import { runSlurmGrid } from './slurm/coordinator';
import type { SlurmSettings } from './slurm/options';

export const EXECUTORS = ['local', 'slurm'] as const;
export type ExecutorName = (typeof EXECUTORS)[number];

export interface Executor {
  readonly name: ExecutorName;
  /** Trains the trials not finished yet; resolves when each has ended, or when the caller detaches or stops. */
  run(options: GridOptions): Promise<GridResult>;
}

export function localExecutor(): Executor {
  return { name: 'local', run: runGrid };
}

export function slurmExecutor(settings: SlurmSettings, extra: { pollSeconds?: number } = {}): Executor {
  return { name: 'slurm', run: (options) => runSlurmGrid({ ...options, ...extra, settings }) };
}
