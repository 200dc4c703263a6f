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
 * claiming `runId`, it gives way (is deleted) to a finished run or to a live one created before it.
 * "Before" is the store's creation order (findByHash lists runs oldest first), not id order: ids
 * begin with random characters. The first-created live run never gives way, and every later one
 * does once it sees it, so exactly one process trains the trial.
 */
export function createdTwice(store: TrackingStore, trialHash: string, runId: string): 'finished' | 'running' | null {
  const runs = store.findByHash(trialHash);
  const mine = runs.findIndex((r) => r.id === runId);
  const earlier = mine < 0 ? runs : runs.slice(0, mine);
  const winner = runs.find((r) => r.id !== runId && r.status === 'finished') ?? earlier.find((r) => r.status === 'running' || r.status === 'queued');
  if (!winner) return null;
  store.deleteRun(runId);
  return winner.status === 'finished' ? 'finished' : 'running';
}
