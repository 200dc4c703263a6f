/** Planning a grid against the store: what already finished, what runs elsewhere, what to resume. */
import type { Trial } from '../config';
import type { TrackingStore } from '../tracking';
import type { QueuedTrial } from './queue';

export interface GridPlan {
  /** Trials with a finished run of the same hash (skipped unless `rerun`). */
  alreadyFinished: Trial[];
  /** Trials with a live running run (another `digits run` holds its lease): skipped. */
  runningElsewhere: Trial[];
  /** Trials to train, in order; `runId` is an interrupted or queued run of the same trial to resume into. */
  toRun: QueuedTrial[];
  /** Hashes already finished, for ensembles whose member trials are not in this grid. */
  finishedHashes: Set<string>;
}

/**
 * Sorts trials by what the store knows of their hash. Call after store.markStaleRuns(), so every
 * run still 'running' belongs to a live process. A trial listed twice (same hash) runs once.
 * `fresh` (digits rerun): every trial gets a new run, whatever the store holds.
 */
export function planGrid(store: TrackingStore, trials: Trial[], options: { fresh?: boolean } = {}): GridPlan {
  const plan: GridPlan = { alreadyFinished: [], runningElsewhere: [], toRun: [], finishedHashes: new Set() };
  const seen = new Set<string>();
  for (const trial of trials) {
    if (seen.has(trial.hash)) continue;
    seen.add(trial.hash);
    if (options.fresh) {
      plan.toRun.push({ trial, runId: null, deaths: 0 });
      continue;
    }
    const runs = store.findByHash(trial.hash);
    if (runs.some((r) => r.status === 'finished')) {
      plan.alreadyFinished.push(trial);
      plan.finishedHashes.add(trial.hash);
    } else if (runs.some((r) => r.status === 'running')) {
      plan.runningElsewhere.push(trial);
    } else {
      const resumable = runs.filter((r) => (r.status === 'interrupted' || r.status === 'queued') && r.experiment === trial.experiment);
      plan.toRun.push({ trial, runId: resumable.length ? resumable[resumable.length - 1].id : null, deaths: 0 });
    }
  }
  return plan;
}
