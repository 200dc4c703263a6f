/**
 * The run journal: an append-only file of JSON lines, `journal.jsonl` in a run folder, that a task on
 * another machine writes instead of opening the SQLite database (SQLite must not be shared over a
 * network filesystem). The coordinator replays it into the store (journal-import.ts).
 *
 * Every event carries its attempt: `attempt` counts submissions of the run (set by the coordinator),
 * `restart` counts Slurm's requeues within one submission (SLURM_RESTART_COUNT). The newest attempt
 * that has started owns the run: events of older attempts are ignored on replay, and a task that
 * sees a newer attempt in its journal stops writing (fencing).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { EpochMetrics, StepMetrics } from './records';
import { runFolderPath } from './run-folder';
import type { Provenance, RunResult } from './types';

export const JOURNAL_FILE = 'journal.jsonl';

/** Who writes: one attempt of one run. */
export interface AttemptId {
  attempt: number;
  restart: number;
}

export interface AttemptInfo extends AttemptId {
  host: string;
  pid: number;
  /** "<array job id>_<index>" on Slurm; null elsewhere. */
  slurmJob: string | null;
}

export type JournalEvent = AttemptId & { at: string } & (
  | { type: 'started'; host: string; pid: number; slurmJob: string | null; provenance: Provenance; artifactDir: string }
  | { type: 'epoch'; metrics: EpochMetrics }
  | { type: 'steps'; steps: StepMetrics[] }
  | { type: 'heartbeat' }
  | { type: 'tags'; tags: Record<string, string> }
  | { type: 'artifacts' }
  | ({ type: 'finished' } & RunResult)
  | { type: 'failed'; error: string }
  | { type: 'interrupted'; reason: string }
);

/** Distributes Omit over the union, so each event keeps its own fields. */
type Body<E> = E extends unknown ? Omit<E, 'attempt' | 'restart' | 'at'> : never;
export type JournalEventBody = Body<JournalEvent>;

/** The journal of run `runId`, in its run folder (run-folder.ts checks the id keeps it inside the runs folder). */
export function journalPath(runsDir: string, runId: string): string {
  return path.join(runFolderPath(runsDir, runId), JOURNAL_FILE);
}

/** Appends one event as one write (one line), creating the run folder if needed. */
export function appendEvent(file: string, who: AttemptId, body: JournalEventBody): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const event = { at: new Date().toISOString(), attempt: who.attempt, restart: who.restart, ...body };
  fs.appendFileSync(file, JSON.stringify(event) + '\n');
}

/** The events in the file; a torn last line (the writer died mid-write) and blank lines are skipped. */
export function readJournal(file: string): JournalEvent[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  const events: JournalEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as JournalEvent);
    } catch {
      // a line cut short by a crash: nothing after it was acknowledged either
    }
  }
  return events;
}

/** Orders attempts: a later submission, then a later restart, is newer. */
export function compareAttempts(a: AttemptId, b: AttemptId): number {
  return a.attempt - b.attempt || a.restart - b.restart;
}

/** What a journal says about its run, from its newest started attempt alone. */
export interface JournalState {
  owner: AttemptInfo | null;
  status: 'queued' | 'running' | 'finished' | 'failed' | 'interrupted';
  provenance: Provenance | null;
  artifactDir: string | null;
  epochs: EpochMetrics[];
  steps: StepMetrics[];
  tags: Record<string, string>;
  result: RunResult | null;
  error: string | null;
  /** Time the owner started (its 'started' event). */
  startedAt: string | null;
  /** Time of the owner's last event. */
  lastAt: string | null;
  /** Events of older attempts that were ignored. */
  superseded: number;
}

/**
 * Replays events into the state of the newest attempt that started. Pure; the same events always
 * give the same state, so importing a journal twice changes nothing.
 */
export function replayJournal(events: JournalEvent[]): JournalState {
  const state: JournalState = { owner: null, status: 'queued', provenance: null, artifactDir: null, epochs: [], steps: [], tags: {}, result: null, error: null, startedAt: null, lastAt: null, superseded: 0 };
  let newest: AttemptId | null = null;
  for (const e of events) if (e.type === 'started' && (!newest || compareAttempts(e, newest) > 0)) newest = e;
  if (!newest) return state;
  const epochs = new Map<number, EpochMetrics>();
  const steps = new Map<number, StepMetrics>();
  for (const e of events) {
    if (compareAttempts(e, newest) !== 0) {
      state.superseded += 1;
      continue;
    }
    state.lastAt = e.at;
    switch (e.type) {
      case 'started':
        state.owner = { attempt: e.attempt, restart: e.restart, host: e.host, pid: e.pid, slurmJob: e.slurmJob };
        state.startedAt = e.at;
        Object.assign(state, { status: 'running', provenance: e.provenance, artifactDir: e.artifactDir, result: null, error: null });
        break;
      case 'epoch':
        epochs.set(e.metrics.epoch, e.metrics);
        break;
      case 'steps':
        for (const s of e.steps) steps.set(s.step, s);
        break;
      case 'tags':
        Object.assign(state.tags, e.tags);
        break;
      case 'finished':
        Object.assign(state, { status: 'finished', result: { summary: e.summary, validation: e.validation, test: e.test, calibration: e.calibration ?? null }, error: null });
        break;
      case 'failed':
        Object.assign(state, { status: 'failed', error: e.error });
        break;
      case 'interrupted':
        Object.assign(state, { status: 'interrupted', error: e.reason });
        break;
      default:
        break;
    }
  }
  state.epochs = [...epochs.values()].sort((a, b) => a.epoch - b.epoch);
  state.steps = [...steps.values()].sort((a, b) => a.step - b.step);
  return state;
}

/** True when the journal holds a started attempt newer than `mine`: `mine` has lost the run. */
export function isSuperseded(file: string, mine: AttemptId): boolean {
  return readJournal(file).some((e) => e.type === 'started' && compareAttempts(e, mine) > 0);
}
