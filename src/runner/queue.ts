/**
 * The trial queue of one grid: hands out trials one at a time, holding back ensembles until the
 * trials they combine have finished, and failing them (with the member's name) when one failed.
 * Pure bookkeeping: no processes, no store.
 */
import type { EnsembleSpec, Trial } from '../config';

/** A trial to train, with the run to train it into when one exists already (resumed). */
export interface QueuedTrial {
  trial: Trial;
  runId: string | null;
  /** How many workers died while training it. */
  deaths: number;
}

export type NextTrial =
  | { kind: 'run'; item: QueuedTrial }
  | { kind: 'fail'; item: QueuedTrial; error: string };

type State = 'pending' | 'running' | 'finished' | 'failed';

export class TrialQueue {
  private readonly pending: QueuedTrial[];
  private readonly states = new Map<string, State>();
  private readonly failures = new Map<string, string>();

  /** `finishedHashes`: trials already finished before this grid (ensembles may use them). */
  constructor(items: QueuedTrial[], private readonly finishedHashes: ReadonlySet<string> = new Set()) {
    this.pending = [...items];
    for (const item of items) this.states.set(item.trial.hash, 'pending');
  }

  /** Trials not yet finished or failed (pending, waiting for members, or running). */
  get left(): number {
    return [...this.states.values()].filter((s) => s === 'pending' || s === 'running').length;
  }

  /** Trials that could still be handed out now or later (not running). */
  get waiting(): number {
    return this.pending.length;
  }

  /**
   * The next trial whose members are ready, or an ensemble that must fail because a member
   * trial failed; null when nothing can start now (all running, waiting, or done).
   */
  next(): NextTrial | null {
    for (let i = 0; i < this.pending.length; i++) {
      const item = this.pending[i];
      const blocker = this.memberState(item.trial);
      if (blocker === 'wait') continue;
      this.pending.splice(i, 1);
      if (blocker !== 'ready') {
        this.settle(item.trial.hash, 'failed', blocker);
        return { kind: 'fail', item, error: blocker };
      }
      this.states.set(item.trial.hash, 'running');
      return { kind: 'run', item };
    }
    return null;
  }

  /**
   * Counts a trial another process trains as running here too (not handed out, but not done:
   * ensembles wait for it) until it is settled with finished, failed or requeue.
   */
  hold(item: QueuedTrial): void {
    this.states.set(item.trial.hash, 'running');
  }

  /** Puts a trial whose worker died back at the front of the queue. */
  requeue(item: QueuedTrial): void {
    this.states.set(item.trial.hash, 'pending');
    this.pending.unshift(item);
  }

  finished(hash: string): void {
    this.settle(hash, 'finished');
  }

  failed(hash: string, error: string): void {
    this.settle(hash, 'failed', error);
  }

  private settle(hash: string, state: 'finished' | 'failed', error?: string): void {
    this.states.set(hash, state);
    if (error !== undefined) this.failures.set(hash, error);
  }

  /** 'ready', 'wait', or the error that fails the ensemble. Non-ensembles are always ready. */
  private memberState(trial: Trial): 'ready' | 'wait' | string {
    if (trial.spec.model.kind !== 'ensemble') return 'ready';
    let wait = false;
    for (const m of (trial.spec.model as EnsembleSpec).members) {
      if (!('trial' in m) || !m.hash || this.finishedHashes.has(m.hash)) continue;
      const state = this.states.get(m.hash);
      if (state === 'failed') {
        const firstLine = (this.failures.get(m.hash) ?? '').split('\n')[0];
        return `member trial "${m.trial}" failed, so this ensemble cannot be combined (${firstLine}); fix that trial and run the experiment again`;
      }
      if (state === 'pending' || state === 'running') wait = true;
    }
    return wait ? 'wait' : 'ready';
  }
}
