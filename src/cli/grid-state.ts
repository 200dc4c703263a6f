/**
 * The state of a running grid as the CLI sees it, folded from runner events: each worker's trial,
 * epoch, batch, images/s and last validation accuracy, the done/failed/left counts, and the ETA.
 *
 * The ETA comes from the throughput of all workers together: the worker-seconds spent per unit of
 * trial work (finished trials count 1, running ones the share of their batches done) give the
 * seconds one trial takes on one worker; the running trials' remainders and the queued trials are
 * then laid out over the workers that exist, each queued trial going to the first worker free.
 * Dividing the remaining trials by one overall rate would ignore that workers run in parallel and
 * that the last trials leave workers idle.
 */
import type { Trial } from '../config';
import type { RunnerEvent } from '../runner';

export interface WorkerState {
  worker: number;
  /** Name of the trial it trains, null when idle. */
  trial: string | null;
  runId: string | null;
  /** Clock time (ms) its current trial started. */
  startedAt: number;
  member: number | null;
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  imagesPerSec: number | null;
  /** Validation accuracy of the last epoch of its current trial; kept until the next epoch ends. */
  valAccuracy: number | null;
  /** Share (0..1) of the current trial's training batches done. */
  fraction: number;
}

/** Below this much finished work (in trials) the ETA would be a guess: none is shown. */
const MIN_WORK_FOR_ETA = 0.02;

export class GridState {
  experiment = '';
  toRun = 0;
  done = 0;
  failed = 0;
  interrupted = 0;
  /** Clock time (ms) of the plan. */
  started: number;
  readonly workers = new Map<number, WorkerState>();
  private plannedWorkers = 0;
  private finishedSeconds = 0;
  private finishedTrials = 0;
  /** Trials another process trains: not in toRun unless this grid takes one over (or it fails there). */
  private readonly elsewhere = new Set<string>();
  /** runId -> indexes of the ensemble members trained inside the run (null for a single model). */
  private readonly inlineMembers = new Map<string, number[] | null>();

  constructor(private readonly now: () => number = Date.now) {
    this.started = now();
  }

  /** Trials of this grid not yet ended (running or queued). */
  get left(): number {
    return Math.max(0, this.toRun - this.done - this.failed - this.interrupted);
  }

  get elapsedSeconds(): number {
    return (this.now() - this.started) / 1000;
  }

  /** Workers training a trial now. */
  busyWorkers(): WorkerState[] {
    return [...this.workers.values()].filter((w) => w.trial !== null).sort((a, b) => a.worker - b.worker);
  }

  apply(e: RunnerEvent): void {
    switch (e.type) {
      case 'plan':
        Object.assign(this, { experiment: e.experiment, toRun: e.toRun, plannedWorkers: e.workers, started: this.now() });
        for (const name of e.runningElsewhere) this.elsewhere.add(name);
        return;
      case 'worker-ready':
        this.workers.set(e.worker, idleWorker(e.worker, this.now()));
        return;
      case 'trial-start':
        this.backHere(e.trial.name); // taken over from a process that died
        this.inlineMembers.set(e.runId, inlineMemberIndexes(e.trial));
        this.workers.set(e.worker, { ...idleWorker(e.worker, this.now()), trial: e.trial.name, runId: e.runId });
        return;
      case 'batch': {
        const w = this.workerOn(e.worker, e.runId);
        if (!w) return;
        Object.assign(w, { member: e.member, epoch: e.epoch, epochs: e.epochs, batch: e.batch, batches: e.batches, imagesPerSec: e.imagesPerSec });
        w.fraction = this.trialFraction(e.runId, e.member, (e.epoch - 1 + e.batch / Math.max(1, e.batches)) / Math.max(1, e.epochs));
        return;
      }
      case 'epoch': {
        const w = this.workerOn(e.worker, e.runId);
        if (!w) return;
        w.valAccuracy = e.metrics.valAccuracy;
        w.imagesPerSec = e.metrics.imagesPerSec;
        return;
      }
      case 'trial-end': {
        const r = e.result;
        this.backHere(r.trial.name); // failed in another process
        if (r.status === 'finished') this.done += 1;
        else if (r.status === 'failed') this.failed += 1;
        else this.interrupted += 1;
        const w = r.worker === null ? undefined : this.workerOn(r.worker, r.runId);
        if (w && r.status === 'finished') {
          this.finishedSeconds += (this.now() - w.startedAt) / 1000;
          this.finishedTrials += 1;
        }
        if (w) this.workers.set(w.worker, idleWorker(w.worker, this.now()));
        this.inlineMembers.delete(r.runId);
        return;
      }
      case 'trial-skipped':
        if (!this.elsewhere.delete(e.trial.name)) this.toRun -= 1;
        return;
      case 'trial-elsewhere':
        if (!this.elsewhere.has(e.trial.name)) this.toRun -= 1;
        this.elsewhere.add(e.trial.name);
        return;
      case 'worker-exit':
        this.workers.delete(e.worker);
        return;
      case 'stopping':
        return;
    }
  }

  private backHere(name: string): void {
    if (this.elsewhere.delete(name)) this.toRun += 1;
  }

  /**
   * Seconds one trial takes on one worker, measured over every worker: worker-seconds spent on
   * finished and running trials divided by the trials' worth of work they did; null before any.
   */
  secondsPerTrial(): number | null {
    const busy = this.busyWorkers();
    const work = this.finishedTrials + busy.reduce((s, w) => s + w.fraction, 0);
    if (work < MIN_WORK_FOR_ETA) return null;
    const seconds = this.finishedSeconds + busy.reduce((s, w) => s + (this.now() - w.startedAt) / 1000, 0);
    return seconds / work;
  }

  /**
   * Seconds until the last trial ends: the running trials' remainders, then each queued trial on
   * the first worker to be free. Null while there is nothing to go by; 0 when nothing is left.
   */
  etaSeconds(): number | null {
    if (this.left === 0) return 0;
    const perTrial = this.secondsPerTrial();
    if (perTrial === null) return null;
    const busy = this.busyWorkers();
    const slots = Math.max(this.workers.size, this.workers.size === 0 ? this.plannedWorkers : 0, busy.length, 1);
    const freeAt = busy.map((w) => (1 - w.fraction) * perTrial);
    while (freeAt.length < slots) freeAt.push(0);
    for (let queued = this.left - busy.length; queued > 0; queued--) {
      freeAt.sort((a, b) => a - b);
      freeAt[0] += perTrial;
    }
    return Math.max(...freeAt);
  }

  private workerOn(worker: number, runId: string): WorkerState | undefined {
    const w = this.workers.get(worker);
    return w && w.runId === runId ? w : undefined;
  }

  /** Share of the whole trial done when `member` (null: a single model) has done `memberShare` of its epochs. */
  private trialFraction(runId: string, member: number | null, memberShare: number): number {
    const inline = this.inlineMembers.get(runId);
    if (member === null || !inline || inline.length === 0) return clamp01(memberShare);
    const position = Math.max(0, inline.indexOf(member));
    return clamp01((position + memberShare) / inline.length);
  }
}

function idleWorker(worker: number, now: number): WorkerState {
  return { worker, trial: null, runId: null, startedAt: now, member: null, epoch: 0, epochs: 0, batch: 0, batches: 0, imagesPerSec: null, valAccuracy: null, fraction: 0 };
}

/** The members an ensemble trial trains itself (the others were trained by earlier runs). */
function inlineMemberIndexes(trial: Trial): number[] | null {
  const model = trial.spec.model;
  if (model.kind !== 'ensemble') return null;
  return model.members.flatMap((m, i) => ('spec' in m ? [i] : []));
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, x));
}
