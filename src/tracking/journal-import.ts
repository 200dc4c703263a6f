/**
 * Importing run journals into the tracking store, through the TrackingStore interface alone. Safe
 * to call any number of times: the store is brought to the journal's state, and a state it already
 * has is not written again. Runs whose status is final (finished, failed) are never touched.
 */
import fs from 'node:fs';
import type { Run, TrackingStore } from './types';
import { journalPath, readJournal, replayJournal, type JournalState } from './journal';

/**
 * A journal last written this long before its row last changed is skipped as already imported. The
 * margin covers coarse file timestamps (a write just after an import can carry an mtime a few ms
 * before it) and small clock differences between a file server and this machine.
 */
const MTIME_MARGIN_MS = 5_000;

/** Heartbeats older than this are not carried over: the run should look as silent as it is. */
const FRESH_HEARTBEAT_MS = 60_000;

export interface ImportResult {
  /** Runs whose row changed. */
  imported: string[];
  /** Runs looked at (non-final, with a journal). */
  checked: number;
}

/** Tags that record which attempt owns a run, beside the row's host and pid. */
export function attemptTags(state: JournalState): Record<string, string> {
  if (!state.owner) return {};
  const tags: Record<string, string> = { attempt: String(state.owner.attempt), restarts: String(state.owner.restart) };
  if (state.owner.slurmJob) tags.slurm_job = state.owner.slurmJob;
  return tags;
}

/**
 * Imports the journals of the store's non-final runs (or of `runIds`) found under `runsDir`.
 * Cheap when nothing is new: a run whose journal was last written well before the row last changed
 * is skipped after one stat(). `force` reads every journal (the coordinator watching its tasks).
 * @example importJournals(store, 'runs') // before listing runs
 */
export function importJournals(store: TrackingStore, runsDir: string, options: { runIds?: string[]; force?: boolean } = {}): ImportResult {
  const runs = store.listRuns({ status: ['queued', 'running', 'interrupted'], ...(options.runIds ? { ids: options.runIds } : {}) });
  const result: ImportResult = { imported: [], checked: 0 };
  for (const run of runs) {
    const file = journalPath(runsDir, run.id);
    let mtime: number;
    try {
      mtime = fs.statSync(file).mtimeMs;
    } catch {
      continue;
    }
    result.checked += 1;
    const seen = Math.max(...[run.heartbeatAt, run.endedAt, run.startedAt].map((t) => (t ? Date.parse(t) : 0)));
    if (!options.force && mtime < seen - MTIME_MARGIN_MS && run.status !== 'queued') continue;
    if (applyJournal(store, run, replayJournal(readJournal(file)))) result.imported.push(run.id);
  }
  return result;
}

/** Brings one run's row to the journal's state; true when something was written. */
export function applyJournal(store: TrackingStore, run: Run, state: JournalState): boolean {
  if (!state.owner || run.status === 'finished' || run.status === 'failed') return false;
  const tags = { ...attemptTags(state), ...state.tags };
  const ownerChanged = Object.entries(tags).some(([k, v]) => run.tags[k] !== v);
  if (run.status === state.status && state.status !== 'running' && !ownerChanged) return false;
  const started = run.status === 'running' && !ownerChanged;
  let wrote = false;
  if (!started && state.provenance && state.artifactDir) {
    store.startRun(run.id, state.provenance, state.artifactDir);
    wrote = true;
  }
  if (ownerChanged) store.setTags(run.id, tags);
  if (state.epochs.length > 0 && (wrote || store.history(run.id).length !== state.epochs.length)) {
    store.logEpochs(run.id, state.epochs);
    wrote = true;
  }
  if (state.steps.length > 0 && (wrote || store.steps(run.id).length !== state.steps.length)) {
    store.logSteps(run.id, state.steps);
    wrote = true;
  }
  switch (state.status) {
    case 'finished':
      if (state.result) store.finishRun(run.id, state.result);
      return true;
    case 'failed':
    case 'interrupted':
      store.endRun(run.id, state.status, state.error ?? undefined);
      return true;
    case 'running':
      if (!wrote && state.lastAt && Date.now() - Date.parse(state.lastAt) < FRESH_HEARTBEAT_MS) store.heartbeat(run.id);
      return wrote || ownerChanged;
    default:
      return wrote || ownerChanged;
  }
}
