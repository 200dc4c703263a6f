/**
 * The TrackingStore a task on a cluster node trains with: every write becomes a journal event in
 * the run folder, nothing opens the database. Reads answer only what an ensemble needs (its member
 * runs), from what the coordinator put in the manifest and from the members' own journals.
 */
import path from 'node:path';
import { UserError } from '../errors';
import type { EpochMetrics, StepMetrics } from './records';
import type { DeletedRun, Provenance, Run, RunResult, TrackingStore } from './types';
import { LeaseLostError } from './lease';
import { appendEvent, isSuperseded, journalPath, readJournal, replayJournal, type AttemptInfo, type JournalEventBody } from './journal';

/** A run an ensemble task may read: finished before submission, or a trial of the same grid. */
export interface KnownRun {
  id: string;
  hash: string;
  /** 'finished' when it was finished at submission; otherwise its journal tells. */
  status: 'finished' | 'pending';
  /** Names it may be referred to by (`run:` members: the id or prefix the experiment wrote). */
  aliases?: string[];
}

/**
 * Thrown inside training when a newer attempt has taken the run: this one must stop writing. A
 * LeaseLostError (isLeaseLost), so training code treats it as it treats a lost database lease.
 */
export class FencedError extends LeaseLostError {
  constructor(runId: string, who: AttemptInfo) {
    super(runId, who.attempt, null);
    this.message = `run ${runId}: attempt ${who.attempt}.${who.restart} was superseded by a newer attempt in its journal; stopping without writing`;
  }
}

export class JournalStore implements TrackingStore {
  /** Why the run is being stopped (set by the task's signal handler); recorded with 'interrupted'. */
  interruptReason = 'interrupted';
  /** When set, an interruption is recorded as this failure instead (e.g. the last allowed time limit). */
  failInsteadOfInterrupt: string | null = null;
  fenced = false;

  constructor(
    private readonly runsDir: string,
    private readonly runId: string,
    private readonly who: AttemptInfo,
    private readonly known: KnownRun[] = [],
  ) {}

  /** The journal this store writes (TrackingStore.file: where the store lives). */
  get file(): string {
    return journalPath(this.runsDir, this.runId);
  }

  private append(id: string, body: JournalEventBody): void {
    if (id !== this.runId) throw new Error(`a task's journal store writes run ${this.runId} only, not ${id}`);
    if (this.fenced || (body.type !== 'started' && isSuperseded(this.file, this.who))) {
      this.fenced = true;
      throw new FencedError(id, this.who);
    }
    appendEvent(this.file, this.who, body);
  }

  startRun(id: string, provenance: Provenance, artifactDir: string): void {
    this.append(id, { type: 'started', host: this.who.host, pid: this.who.pid, slurmJob: this.who.slurmJob, provenance, artifactDir });
  }

  logEpochs(id: string, epochs: EpochMetrics[]): void {
    for (const metrics of epochs) this.append(id, { type: 'epoch', metrics });
  }

  logSteps(id: string, steps: StepMetrics[]): void {
    if (steps.length) this.append(id, { type: 'steps', steps });
  }

  heartbeat(id: string): void {
    this.append(id, { type: 'heartbeat' });
  }

  finishRun(id: string, result: RunResult): void {
    this.append(id, { type: 'artifacts' });
    this.append(id, { type: 'finished', ...result });
  }

  endRun(id: string, status: 'failed' | 'interrupted', error?: string): void {
    if (status === 'interrupted' && this.failInsteadOfInterrupt) this.append(id, { type: 'failed', error: this.failInsteadOfInterrupt });
    else if (status === 'interrupted') this.append(id, { type: 'interrupted', reason: error ?? this.interruptReason });
    else this.append(id, { type: 'failed', error: error ?? 'failed' });
  }

  setTags(id: string, tags: Record<string, string>): void {
    this.append(id, { type: 'tags', tags });
  }

  /** A known run as an ensemble member sees it: finished (with its folder) or not. */
  /** The journal store is always fenced by its own attempt: nothing to hold or drop. */
  holdLease(): void {
    // every append checks the journal for a newer attempt
  }
  dropLease(): void {
    // as holdLease
  }

  /** Runs `fn` (an artifact move) after checking this attempt still owns the run, with a heartbeat. */
  underLease<T>(runId: string, fn: () => T): T {
    this.append(runId, { type: 'heartbeat' });
    return fn();
  }

  getRun(id: string): Run | null {
    const known = this.known.find((k) => k.id === id);
    if (!known) return null;
    const finished = known.status === 'finished' || replayJournal(readJournal(journalPath(this.runsDir, id))).status === 'finished';
    return { id, trialHash: known.hash, status: finished ? 'finished' : 'queued', artifactDir: path.join(this.runsDir, id), tags: {} } as unknown as Run;
  }

  findByHash(trialHash: string): Run[] {
    return this.known.filter((k) => k.hash === trialHash).map((k) => this.getRun(k.id) as Run);
  }

  resolveRunId(idOrPrefix: string): string {
    const hit = this.known.find((k) => k.id === idOrPrefix || k.aliases?.includes(idOrPrefix));
    if (!hit) throw new UserError(`run "${idOrPrefix}" was not resolved when the grid was submitted; submit the grid again`);
    return hit.id;
  }

  history(): EpochMetrics[] {
    return [];
  }
  steps(): StepMetrics[] {
    return [];
  }

  createRun(): Run {
    return this.unavailable('createRun');
  }
  listRuns(): Run[] {
    return this.unavailable('listRuns');
  }
  setNote(): void {
    this.unavailable('setNote');
  }
  deleteRun(): DeletedRun {
    return this.unavailable('deleteRun');
  }
  claimRun(): number | null {
    return this.unavailable('claimRun');
  }
  markStaleRuns(): string[] {
    return this.unavailable('markStaleRuns');
  }
  queryNames(): string[] {
    return this.unavailable('queryNames');
  }
  close(): void {
    // nothing held open: every event is one append
  }

  private unavailable(method: string): never {
    throw new Error(`a cluster task has no tracking database: ${method} is not available in a journal store`);
  }
}
