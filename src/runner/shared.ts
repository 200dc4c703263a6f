/**
 * Two `digits run` of the same file at once share the work: before a trial starts, each checks
 * whether another process has finished or is training it. Both return what the other process did
 * ('finished' | 'running'), or null when this process should train the trial.
 */
import type { TrackingStore } from '../tracking';

/** Another process finished this trial, or holds a live run of it (stale ones were marked at start). */
export function takenElsewhere(store: TrackingStore, trialHash: string): 'finished' | 'running' | null {
  const runs = store.findByHash(trialHash);
  if (runs.some((r) => r.status === 'finished')) return 'finished';
  return runs.some((r) => r.status === 'running') ? 'running' : null;
}

/**
 * Closes the race of two processes creating a run for the same trial at the same moment: after
 * claiming `runId`, it gives way (is deleted) to a finished run or an earlier (smaller id) live one.
 * Both processes compare the same ids, so exactly one keeps its run.
 */
export function createdTwice(store: TrackingStore, trialHash: string, runId: string): 'finished' | 'running' | null {
  const others = store.findByHash(trialHash).filter((r) => r.id !== runId);
  const winner = others.find((r) => r.status === 'finished' || ((r.status === 'running' || r.status === 'queued') && r.id < runId));
  if (!winner) return null;
  store.deleteRun(runId);
  return winner.status === 'finished' ? 'finished' : 'running';
}
