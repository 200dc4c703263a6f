/**
 * The state of a running grid as the CLI sees it, folded from runner events: each worker's trial,
 * epoch, batch, images/s and last validation accuracy, the done/failed/left counts, and the ETA.
 *
 * The ETA comes from the throughput of all workers together. A trial is its start-up (before the
 * first batch), its batches, and its end (evaluation, artifacts), the two overheads measured on the
 * finished trials. The batches go at each worker's recent speed: the share of its trial done per
 * second over the last window of at least RATE_WINDOW_MS, so that the slow first epoch of a fresh
 * worker process (V8 and the wasm kernels warming up, about a quarter slower) does not weigh on
 * the rest of the grid. The running trials' remainders and the queued trials are then laid out over
 * the workers that exist, each queued trial going to the first worker free. Dividing the remaining
 * trials by one overall rate would ignore that workers run in parallel and that the last trials
 * leave workers idle.
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
  /** Clock times (ms) of the first and the latest batch event of the current trial. */
  firstBatchAt: number | null;
  lastBatchAt: number | null;
  /** Start of the current speed window: when, and the fraction then. */
  window: { at: number; fraction: number } | null;
}

/** The least time a speed is measured over: batch events come every 250 ms and jitter. */
const RATE_WINDOW_MS = 5000;

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
  /** Overheads of the finished trials, summed: seconds before the first batch and after the last. */
  private readonly overheads = { trials: 0, startSeconds: 0, endSeconds: 0, trainSeconds: 0 };
  /** Each live worker's latest speed in trials per second (kept across its trials). */
  private readonly rates = new Map<number, number>();
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
        this.measureSpeed(w);
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
        if (w && r.status === 'finished' && w.firstBatchAt !== null && w.lastBatchAt !== null) {
          this.overheads.trials += 1;
          this.overheads.startSeconds += (w.firstBatchAt - w.startedAt) / 1000;
          this.overheads.endSeconds += (this.now() - w.lastBatchAt) / 1000;
          this.overheads.trainSeconds += (w.lastBatchAt - w.firstBatchAt) / 1000;
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
        this.rates.delete(e.worker);
        return;
      case 'stopping':
        return;
    }
  }

  private backHere(name: string): void {
    if (this.elsewhere.delete(name)) this.toRun += 1;
  }

  /**
   * Seconds one whole trial takes on one worker now: start-up, batches at the workers' mean recent
   * speed (else at the finished trials' pace), end. Null before any batch.
   */
  secondsPerTrial(): number | null {
    const train = this.trainSecondsPerTrial();
    if (train === null) return null;
    return this.startSeconds() + train + this.endSeconds();
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
    const freeAt = busy.map((w) => this.remainingSeconds(w, perTrial));
    while (freeAt.length < slots) freeAt.push(0);
    for (let queued = this.left - busy.length; queued > 0; queued--) {
      freeAt.sort((a, b) => a - b);
      freeAt[0] += perTrial;
    }
    return Math.max(...freeAt);
  }

  /** Seconds until worker `w`'s current trial ends. */
  private remainingSeconds(w: WorkerState, perTrial: number): number {
    const now = this.now();
    if (w.firstBatchAt === null) return Math.max(0, perTrial - (now - w.startedAt) / 1000);
    if (w.fraction >= 1) return Math.max(0, this.endSeconds() - (now - (w.lastBatchAt ?? now)) / 1000);
    const rate = this.rates.get(w.worker) ?? w.fraction / Math.max(0.001, (now - w.firstBatchAt) / 1000);
    return (1 - w.fraction) / rate + this.endSeconds();
  }

  private trainSecondsPerTrial(): number | null {
    const rates = [...this.rates.values()];
    if (rates.length > 0) return rates.length / rates.reduce((s, r) => s + r, 0);
    if (this.overheads.trials > 0) return this.overheads.trainSeconds / this.overheads.trials;
    // The first seconds of the first trials: their pace so far.
    const paces = this.busyWorkers().filter((w) => w.firstBatchAt !== null && w.fraction > 0).map((w) => (this.now() - w.firstBatchAt!) / 1000 / w.fraction);
    return paces.length ? paces.reduce((s, p) => s + p, 0) / paces.length : null;
  }

  private startSeconds(): number {
    if (this.overheads.trials > 0) return this.overheads.startSeconds / this.overheads.trials;
    const seen = this.busyWorkers().filter((w) => w.firstBatchAt !== null);
    return seen.length ? seen.reduce((s, w) => s + (w.firstBatchAt! - w.startedAt) / 1000, 0) / seen.length : 0;
  }

  private endSeconds(): number {
    return this.overheads.trials > 0 ? this.overheads.endSeconds / this.overheads.trials : 0;
  }

  /** Updates the worker's speed each time a window of RATE_WINDOW_MS has passed. */
  private measureSpeed(w: WorkerState): void {
    const now = this.now();
    w.firstBatchAt ??= now;
    w.lastBatchAt = now;
    if (!w.window) {
      w.window = { at: now, fraction: w.fraction };
      return;
    }
    const seconds = (now - w.window.at) / 1000;
    if (seconds * 1000 < RATE_WINDOW_MS || w.fraction <= w.window.fraction) return;
    // Half the last window, half the speed before it: steady on a busy machine, current within ~15 s.
    const speed = (w.fraction - w.window.fraction) / seconds;
    const before = this.rates.get(w.worker);
    this.rates.set(w.worker, before === undefined ? speed : (before + speed) / 2);
    w.window = { at: now, fraction: w.fraction };
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
  return {
    worker, trial: null, runId: null, startedAt: now, member: null, epoch: 0, epochs: 0, batch: 0, batches: 0,
    imagesPerSec: null, valAccuracy: null, fraction: 0, firstBatchAt: null, lastBatchAt: null, window: null,
  };
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
