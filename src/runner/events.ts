/** What the runner reports while a grid runs; the CLI turns these into a live view or lines. */
import type { Trial } from '../config';
import type { EpochMetrics } from '../train';

export interface TrialResult {
  trial: Trial;
  runId: string;
  status: 'finished' | 'failed' | 'interrupted';
  error: string | null;
  valAccuracy: number | null;
  testAccuracy: number | null;
  trainSeconds: number | null;
  wallSeconds: number | null;
  /** Which worker (1-based) trained it; null when it failed before reaching one. */
  worker: number | null;
}

export type RunnerEvent =
  | { type: 'plan'; experiment: string; total: number; alreadyFinished: number; runningElsewhere: string[]; toRun: number; resumed: number; workers: number; staleMarked: string[] }
  | { type: 'worker-ready'; worker: number; pid: number; backend: string; startupSeconds: number }
  | { type: 'trial-start'; worker: number; pid: number; trial: Trial; runId: string; resumed: boolean }
  | { type: 'batch'; worker: number; runId: string; member: number | null; epoch: number; epochs: number; batch: number; batches: number; imagesPerSec: number }
  | { type: 'epoch'; worker: number; runId: string; member: number | null; metrics: EpochMetrics }
  | { type: 'trial-end'; result: TrialResult; left: number }
  | { type: 'trial-skipped'; trial: Trial; reason: string; left: number }
  /** Another process trains this trial: watched, then skipped (it ended there) or taken over (its lease died). */
  | { type: 'trial-elsewhere'; trial: Trial; reason: string }
  | { type: 'worker-exit'; worker: number; pid: number; code: number | null; signal: string | null; expected: boolean; lostTrial: Trial | null; requeued: boolean; stderrTail: string }
  | { type: 'stopping'; reason: string; interrupt: boolean }
  /** Something the executor wants the user to know (e.g. Slurm job ids submitted, tasks re-attached). */
  | { type: 'notice'; message: string };

export interface GridResult {
  experiment: string;
  total: number;
  alreadyFinished: number;
  runningElsewhere: string[];
  /** The trials that ended in this call, in the experiment's trial order (not the order they ended in). */
  results: TrialResult[];
  /** Stopped by the caller's signal (Ctrl-C): some trials were interrupted or never started. */
  interrupted: boolean;
  /** The coordinator stopped watching (Ctrl-C) while a cluster's tasks go on: run again to re-attach. */
  detached?: boolean;
  /** A worker could not start (e.g. MNIST missing): the grid stopped; userError: exit 2. */
  fatal: { error: string; userError: boolean } | null;
}
