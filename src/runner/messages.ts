/**
 * The IPC protocol between the runner (parent) and its worker processes (child_process.fork).
 * parent -> worker: one `trial` at a time, `stop` to finish the current batch and exit.
 * worker -> parent: `ready` once (backend chosen, MNIST loaded), progress while training, then
 * `done` (finished or interrupted), `failed`, or `lost` (another attempt took the run over) for each trial; `fatal` when the worker cannot start.
 * A worker also stops when the IPC channel closes ('disconnect': the parent died).
 */
import type { Trial } from '../config';
import type { EpochMetrics } from '../train';

/** Everything a worker needs that the parent decides once. */
export interface WorkerSetup {
  dbFile: string;
  runsDir: string;
  dataDir?: string;
  /** Seconds between timer heartbeats while a trial trains (besides the one after each epoch). */
  heartbeatSeconds: number;
}

export type ParentMessage =
  | { type: 'trial'; runId: string; attempt: number; trial: Trial }
  | { type: 'stop' };

export interface TrialOutcome {
  runId: string;
  status: 'finished' | 'interrupted';
  valAccuracy: number | null;
  testAccuracy: number | null;
  trainSeconds: number;
  /** Wall seconds the worker spent on the trial (data preparation, training, evaluation, writing). */
  wallSeconds: number;
}

export type WorkerMessage =
  | { type: 'ready'; backend: string; pid: number; startupSeconds: number }
  | { type: 'started'; runId: string }
  /** The trial goes on from its run's checkpoint (an earlier attempt's) with this epoch. */
  | { type: 'resumed'; runId: string; epoch: number; epochs: number }
  | { type: 'batch'; runId: string; member: number | null; epoch: number; epochs: number; batch: number; batches: number; imagesPerSec: number }
  | { type: 'epoch'; runId: string; member: number | null; metrics: EpochMetrics }
  | ({ type: 'done' } & TrialOutcome)
  /** `storage`: the disk or database failed (full, read-only), not the trial: the grid stops. */
  | { type: 'failed'; runId: string; error: string; storage?: string }
  /** The run's lease went to a newer attempt (this worker stalled past the stale limit): stopped, nothing written. */
  | { type: 'lost'; runId: string; reason: string }
  | { type: 'fatal'; error: string; userError: boolean };

/** The environment variable that carries the WorkerSetup (JSON) to a worker. */
export const WORKER_SETUP_ENV = 'DIGITS_WORKER_SETUP';
