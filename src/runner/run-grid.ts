/**
 * Running a grid of trials in worker processes. The parent owns the plan and the store's run rows:
 * it creates (or resumes) each trial's run and claims it for the worker's pid (the lease), and the
 * worker trains and records it. A worker that dies mid-trial has its run marked interrupted and the
 * trial re-queued on a new worker; a trial that throws is recorded failed and the grid goes on.
 */
import os from 'node:os';
import type { Trial } from '../config';
import type { SqliteStore } from '../tracking';
import { openStore } from '../tracking';
import { cleanRunFolder, holdReserve, isLeaseLost, releaseReserve, runFolderPath, storageProblem } from '../tracking';
import { UserError } from '../errors';
import { ensureMnistFiles } from './data';
import type { GridResult, RunnerEvent, TrialResult } from './events';
import type { WorkerMessage } from './messages';
import { planGrid } from './plan';
import { spawnWorker, watchHungWorkers, type WorkerHandle } from './pool';
import { createdTwice, takenElsewhere } from './shared';
import { ElsewhereWatch } from './elsewhere';
import { TrialQueue, type QueuedTrial } from './queue';
import { leaseTiming, type LeaseTiming } from './timing';

export interface GridOptions {
  experiment: string;
  trials: Trial[];
  dbFile: string;
  runsDir: string;
  dataDir?: string;
  /**
   * Worker processes (default: the cores divided by the most replicas a trial to run trains with,
   * at least 1); never more than the trials to run.
   */
  workers?: number;
  /** Abort to stop: workers finish their current batch, runs are recorded interrupted. */
  signal?: AbortSignal;
  onEvent?: (event: RunnerEvent) => void;
  /** New runs for every trial even when finished ones exist (digits rerun). */
  fresh?: boolean;
  /** Tags set on every run this grid trains (e.g. rerun_of). */
  tags?: Record<string, string>;
  /** Timer heartbeat of a training worker, seconds (default: $DIGITS_HEARTBEAT_SECONDS, else 30 or a quarter of the stale limit). */
  heartbeatSeconds?: number;
  /** A running run silent for this long counts as stale and is taken over (default: $DIGITS_STALE_AFTER_SECONDS, else 120). */
  staleAfterSeconds?: number;
  /** A busy worker silent for this long is killed and its trial re-queued (default 600). */
  hungAfterSeconds?: number;
}

const NO_METRICS = { valAccuracy: null, testAccuracy: null, trainSeconds: null, wallSeconds: null } as const;

/** A trial whose worker died this many times is recorded failed instead of re-queued. */
export const MAX_WORKER_DEATHS = 2;

interface Slot {
  worker: WorkerHandle;
  ready: boolean;
  current: QueuedTrial | null;
  runId: string | null;
  /** The attempt of runId this grid claimed for the worker (its lease; the parent's writes check it too). */
  attempt: number;
  stopping: boolean;
}

/**
 * Workers that keep every core busy without oversubscribing it: the cores divided by the most
 * threads one of the trials trains with (train.replicas), at least 1.
 * @example defaultWorkers(trials) // 2 on 2 cores when no trial has replicas; 1 when one has 2
 */
export function defaultWorkers(trials: Trial[], cores = os.availableParallelism()): number {
  const threads = Math.max(1, ...trials.map((t) => t.spec.train.replicas));
  return Math.max(1, Math.floor(cores / threads));
}

/**
 * Plans the trials against the store (finished ones skipped, stale runs marked interrupted,
 * interrupted ones resumed) and trains the rest in worker processes.
 * @example const result = await runGrid({ experiment: exp.name, trials: exp.trials, dbFile, runsDir, workers: 2 });
 */
export async function runGrid(options: GridOptions): Promise<GridResult> {
  const store = openStore(options.dbFile, { runsDir: options.runsDir });
  try {
    return await new Grid(options, store).run();
  } catch (err) {
    const problem = storageProblem(err);
    if (problem) throw new UserError(storageMessage(options, problem, 'the grid could not start'));
    throw err;
  } finally {
    store.close();
  }
}

/** One line for a storage failure: what, where, and how to go on. */
function storageMessage(options: GridOptions, problem: string, what: string): string {
  return `cannot write the tracking database ${options.dbFile} or the run folders in ${options.runsDir}: ${problem}; ${what}. ` +
    'Free space (or make them writable) and run the same command again to resume.';
}

class Grid {
  private readonly slots = new Set<Slot>();
  private readonly results: TrialResult[] = [];
  private queue = new TrialQueue([]);
  private nextIndex = 1;
  private stopping = false;
  private fatal: GridResult['fatal'] = null;
  private startupFailures = 0;
  /** Trials another `digits run` finished while this grid ran: skipped here. */
  private readonly elsewhere = { finished: 0 };
  /** Trials another `digits run` trains: watched until they end there or their lease dies. */
  private readonly watch = new ElsewhereWatch();
  private workerLimit = 1;
  /** The first storage failure (disk full, read-only): the grid stops on it. */
  private storageFailure: string | null = null;
  /** Runs whose end could not be recorded after a storage failure (still `running` in the database). */
  private readonly unrecorded: string[] = [];
  private done: () => void = () => undefined;

  private readonly timing: LeaseTiming;

  constructor(private readonly options: GridOptions, private readonly store: SqliteStore) {
    this.timing = leaseTiming(options);
  }

  async run(): Promise<GridResult> {
    const { options, store } = this;
    const staleMarked = store.markStaleRuns({ heartbeatSeconds: this.timing.staleAfterSeconds });
    const plan = planGrid(store, options.trials, { fresh: options.fresh });
    this.queue = new TrialQueue(plan.toRun, plan.finishedHashes);
    const workers = Math.max(1, Math.min(options.workers ?? defaultWorkers(plan.toRun.map((q) => q.trial)), plan.toRun.length));
    this.workerLimit = Math.max(1, options.workers ?? defaultWorkers(options.trials));
    for (const trial of plan.runningElsewhere) {
      const item = { trial, runId: null, deaths: 0 };
      this.queue.hold(item);
      this.watch.add(item);
    }
    this.emit({
      type: 'plan', experiment: options.experiment, total: options.trials.length, alreadyFinished: plan.alreadyFinished.length,
      runningElsewhere: plan.runningElsewhere.map((t) => t.name), toRun: plan.toRun.length,
      resumed: plan.toRun.filter((t) => t.runId !== null).length, workers: plan.toRun.length ? workers : 0, staleMarked,
    });
    if (plan.toRun.length > 0 || this.watch.size > 0) {
      await ensureMnistFiles(options.dataDir);
      holdReserve(store.file); // room to record where the grid stopped if the disk fills up
      const finished = new Promise<void>((resolve) => (this.done = resolve));
      const onAbort = () => this.stop('interrupted (Ctrl-C or a stop signal): stopping after the current batch', true);
      options.signal?.addEventListener('abort', onAbort, { once: true });
      if (options.signal?.aborted) onAbort();
      for (let i = 0; i < Math.min(workers, plan.toRun.length) && !this.stopping; i++) this.spawn();
      const busy = () => [...this.slots].filter((s) => s.current !== null).map((s) => s.worker);
      const unwatch = watchHungWorkers(busy, options.hungAfterSeconds ?? 600);
      const poll = setInterval(() => this.guard(() => this.pollElsewhere()), Math.max(500, Math.min(10_000, this.timing.staleAfterSeconds * 250)));
      this.finishIfDone();
      await finished;
      clearInterval(poll);
      unwatch();
      options.signal?.removeEventListener('abort', onAbort);
    }
    const order = new Map(options.trials.map((t, i) => [t.hash, i]));
    const inGridOrder = [...this.results].sort((a, b) => (order.get(a.trial.hash) ?? 0) - (order.get(b.trial.hash) ?? 0));
    return {
      experiment: options.experiment, total: options.trials.length, alreadyFinished: plan.alreadyFinished.length + this.elsewhere.finished,
      runningElsewhere: this.watch.names(), results: inGridOrder,
      interrupted: Boolean(options.signal?.aborted), fatal: this.storageFailure ? this.storageFatal() : this.fatal,
    };
  }

  /**
   * Runs `fn` (an event handler): a storage failure stops the grid (see storageFailed) instead of
   * escaping as an uncaught SqliteError; anything else is a bug and is rethrown.
   */
  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      const problem = storageProblem(err);
      if (!problem) throw err;
      this.storageFailed(problem);
      this.finishIfDone();
    }
  }

  /**
   * The disk or database failed: free the reserve beside the database (room for the last writes),
   * kill every worker (no more writes; their runs are then recorded interrupted by onExit) and stop.
   */
  private storageFailed(problem: string): void {
    if (this.storageFailure) return;
    this.storageFailure = problem;
    releaseReserve(this.store.file);
    this.stopping = true; // no 'stopping' line: the grid's one message comes at the end (storageFatal)
    for (const slot of this.slots) {
      slot.stopping = true;
      slot.worker.child.kill('SIGKILL');
    }
  }

  private storageFatal(): NonNullable<GridResult['fatal']> {
    const interrupted = this.results.filter((r) => r.status === 'interrupted' && !this.unrecorded.includes(r.runId)).map((r) => r.runId);
    const parts = [
      'the grid stopped',
      interrupted.length ? `run${interrupted.length > 1 ? 's' : ''} ${interrupted.join(', ')} recorded interrupted` : '',
      this.unrecorded.length ? `run${this.unrecorded.length > 1 ? 's' : ''} ${this.unrecorded.join(', ')} could not be recorded and stay "running" until the next digits run marks them interrupted (their processes are gone)` : '',
    ];
    return { error: storageMessage(this.options, this.storageFailure as string, parts.filter(Boolean).join('; ')), userError: true };
  }

  private emit(event: RunnerEvent): void {
    this.options.onEvent?.(event);
  }

  private spawn(): void {
    const setup = {
      dbFile: this.store.file, runsDir: this.options.runsDir, dataDir: this.options.dataDir,
      heartbeatSeconds: this.timing.heartbeatSeconds,
    };
    const worker = spawnWorker(this.nextIndex++, setup, (w, m) => this.guard(() => this.onMessage(w, m)), (w, code, signal) => this.guard(() => this.onExit(w, code, signal)));
    this.slots.add({ worker, ready: false, current: null, runId: null, attempt: 0, stopping: false });
  }

  private slotOf(worker: WorkerHandle): Slot {
    return [...this.slots].find((s) => s.worker === worker) as Slot;
  }

  /** Stops handing out trials and asks every worker to stop after its current batch. */
  stop(reason: string, interrupt = false): void {
    if (this.stopping) return;
    this.stopping = true;
    this.emit({ type: 'stopping', reason, interrupt });
    for (const slot of this.slots) this.release(slot);
  }

  private release(slot: Slot): void {
    slot.stopping = true;
    slot.worker.send({ type: 'stop' });
  }

  private onMessage(worker: WorkerHandle, message: WorkerMessage): void {
    const slot = this.slotOf(worker);
    if (!slot) return;
    const index = worker.index;
    switch (message.type) {
      case 'ready':
        slot.ready = true;
        this.emit({ type: 'worker-ready', worker: index, pid: worker.pid, backend: message.backend, startupSeconds: message.startupSeconds });
        return this.dispatch(slot);
      case 'fatal':
        this.fatal ??= { error: message.error, userError: message.userError };
        return this.stop(`worker ${index} could not start; stopping the others`);
      case 'batch':
        return this.emit({ type: 'batch', worker: index, runId: message.runId, member: message.member, epoch: message.epoch, epochs: message.epochs, batch: message.batch, batches: message.batches, imagesPerSec: message.imagesPerSec });
      case 'epoch':
        return this.emit({ type: 'epoch', worker: index, runId: message.runId, member: message.member, metrics: message.metrics });
      case 'started':
        return;
      case 'resumed':
        return this.emit({ type: 'notice', message: `"${slot.current?.trial.name ?? message.runId}" goes on from its checkpoint: epoch ${message.epoch} of ${message.epochs} (run ${message.runId})` });
      case 'done':
      case 'failed':
        return this.onTrialEnd(slot, message);
      case 'lost':
        return this.onTrialLost(slot);
    }
  }

  /** Frees the slot's trial and the parent's hold on its lease. */
  private vacate(slot: Slot): QueuedTrial | null {
    const item = slot.current;
    if (slot.runId) this.store.dropLease(slot.runId);
    slot.current = null;
    slot.runId = null;
    return item;
  }

  /** The worker stalled past the stale limit and another process took its run over: not ours any more. */
  private onTrialLost(slot: Slot): void {
    const item = this.vacate(slot);
    if (!item) return;
    this.skipElsewhere(item, 'running', 'taken over by another process (this one stalled past the stale limit); stopped without writing');
    this.dispatch(slot);
    this.wakeIdle();
  }

  private onTrialEnd(slot: Slot, message: Extract<WorkerMessage, { type: 'done' | 'failed' }>): void {
    // Not the trial's fault: stop the grid; the worker is killed and onExit records its run interrupted.
    if (message.type === 'failed' && message.storage) return this.storageFailed(message.storage);
    const item = this.vacate(slot);
    if (!item) return;
    const hash = item.trial.hash;
    if (message.type === 'done' && message.status === 'interrupted' && !this.stopping) {
      // The worker was stopped from outside (a signal to it alone): retry the trial elsewhere.
      this.release(slot);
      if (++item.deaths < MAX_WORKER_DEATHS) return this.queue.requeue(item);
    }
    if (message.type === 'failed') this.queue.failed(hash, message.error);
    else if (message.status === 'finished') this.queue.finished(hash);
    const base = { trial: item.trial, runId: message.runId, worker: slot.worker.index };
    if (message.type === 'failed') this.record({ ...base, status: 'failed', error: message.error, ...NO_METRICS });
    else {
      const { status, valAccuracy, testAccuracy, trainSeconds, wallSeconds } = message;
      this.record({ ...base, status, error: null, valAccuracy, testAccuracy, trainSeconds, wallSeconds });
    }
    this.dispatch(slot);
    this.wakeIdle();
  }

  /** Idle workers may now start an ensemble whose members just finished, or be let go. */
  private wakeIdle(): void {
    for (const slot of this.slots) if (slot.ready && !slot.current && !slot.stopping) this.dispatch(slot);
  }

  private record(result: TrialResult): void {
    this.results.push(result);
    this.emit({ type: 'trial-end', result, left: this.queue.left });
  }

  /** Gives an idle, ready worker its next trial, or lets it go when nothing is left for it. */
  private dispatch(slot: Slot): void {
    if (this.stopping || slot.stopping) return this.release(slot);
    for (let next = this.queue.next(); next; next = this.queue.next()) {
      const item = next.item;
      if (next.kind === 'fail') {
        this.failBeforeStart(item, next.error);
        continue;
      }
      const resumed = item.runId !== null;
      const claim = this.claimFor(slot, item);
      if (claim === null) continue;
      const { runId, attempt } = claim;
      slot.current = item;
      slot.runId = runId;
      slot.attempt = attempt;
      this.store.holdLease({ runId, attempt });
      slot.worker.lastHeard = Date.now(); // an idle worker's silence does not count
      this.emit({ type: 'trial-start', worker: slot.worker.index, pid: slot.worker.pid, trial: item.trial, runId, resumed });
      slot.worker.send({ type: 'trial', runId, attempt, trial: item.trial });
      return;
    }
    // Nothing to start now: keep this worker if trials wait for members that others are training.
    const othersBusy = [...this.slots].some((s) => s !== slot && s.current !== null);
    if (this.queue.waiting === 0 || !othersBusy) this.release(slot);
    this.finishIfDone();
  }

  /**
   * Creates (or resumes) the trial's run and claims it for the worker's pid as a new attempt: the
   * lease. Null when another `digits run` has the trial (other processes may work on the same grid;
   * not for reruns).
   */
  private claimFor(slot: Slot, item: QueuedTrial): { runId: string; attempt: number } | null {
    const shared = !this.options.fresh;
    const taken = item.runId === null && shared ? takenElsewhere(this.store, item.trial.hash) : null;
    if (taken) return this.skipElsewhere(item, taken);
    const runId = item.runId ?? this.createRun(item.trial);
    const attempt = this.store.claimRun(runId, { pid: slot.worker.pid, host: os.hostname() });
    if (attempt === null) {
      // another process resumed (or finished) the same run first
      return this.skipElsewhere(item, this.store.getRun(runId)?.status === 'finished' ? 'finished' : 'running');
    }
    const twice = item.runId === null && shared ? createdTwice(this.store, item.trial.hash, runId) : null;
    if (twice) return this.skipElsewhere(item, twice);
    item.runId = runId;
    return { runId, attempt };
  }

  /**
   * Another `digits run` finished this trial (skipped here, done for ensembles), or trains it:
   * watched until it ends there, or taken over when that process's lease dies.
   */
  private skipElsewhere(item: QueuedTrial, state: 'finished' | 'running', reason?: string): null {
    if (state === 'running') {
      this.queue.hold(item);
      this.watch.add(item);
      this.emit({ type: 'trial-elsewhere', trial: item.trial, reason: `${reason ?? 'running in another process'}; taken over here if that process dies` });
      return null;
    }
    this.queue.finished(item.trial.hash);
    this.elsewhere.finished += 1;
    this.emit({ type: 'trial-skipped', trial: item.trial, reason: reason ?? 'finished by another process', left: this.queue.left });
    return null;
  }

  /** Settles watched trials: ended elsewhere (skipped or failed here too), or orphaned (taken over). */
  private pollElsewhere(): void {
    if (this.stopping) return;
    for (const outcome of this.watch.check(this.store, this.timing.staleAfterSeconds, this.options.runsDir)) {
      const { item } = outcome;
      if (outcome.kind === 'finished') {
        this.skipElsewhere(item, 'finished');
      } else if (outcome.kind === 'failed') {
        const error = `failed in another process (run ${outcome.runId}): ${outcome.error}`;
        this.queue.failed(item.trial.hash, error);
        this.record({ trial: item.trial, runId: outcome.runId, worker: null, status: 'failed', error, ...NO_METRICS });
      } else {
        this.queue.requeue(item);
      }
    }
    this.wakeIdle();
    const starting = [...this.slots].filter((s) => !s.stopping && !s.current).length;
    if (this.queue.waiting > starting && this.busyOrStarting() < this.workerLimit) this.spawn();
    this.finishIfDone();
  }

  private createRun(trial: Trial): string {
    const run = this.store.createRun({ experiment: trial.experiment, name: trial.name, trialHash: trial.hash, spec: trial.spec, seed: trial.spec.seed });
    if (this.options.tags) this.store.setTags(run.id, this.options.tags);
    return run.id;
  }

  /** An ensemble whose member trial failed: recorded as a failed run without a worker. */
  private failBeforeStart(item: QueuedTrial, error: string): void {
    const runId = item.runId ?? this.createRun(item.trial);
    this.store.endRun(runId, 'failed', error);
    this.record({ trial: item.trial, runId, worker: null, status: 'failed', error, ...NO_METRICS });
  }

  private onExit(worker: WorkerHandle, code: number | null, signal: NodeJS.Signals | null): void {
    const slot = this.slotOf(worker);
    if (!slot) return;
    this.slots.delete(slot);
    const lost = slot.current;
    let requeued = false;
    if (lost && slot.runId) {
      const runId = slot.runId;
      const how = worker.hung ? 'was killed after a long silence (hung?)' : signal ? `was killed by ${signal}` : `exited with code ${code}`;
      lost.deaths += 1;
      const giveUp = !this.stopping && lost.deaths >= MAX_WORKER_DEATHS;
      const error = `its worker died ${lost.deaths} times (last: pid ${worker.pid} ${how}); check memory (dmesg) or run the grid with --workers 1`;
      // Fenced by the lease this grid holds: false when the run finished or another process took it over.
      const ended = this.endHeld(runId, giveUp ? 'failed' : 'interrupted', giveUp ? error : `interrupted: worker ${worker.index} (pid ${worker.pid}) ${how}`);
      this.vacate(slot);
      cleanRunFolder(runFolderPath(this.options.runsDir, runId)); // a killed worker may leave a staging folder or a .tmp
      const own = ended ? null : this.store.getRun(runId);
      if (own && own.attempt === slot.attempt && (own.status === 'failed' || own.status === 'interrupted')) {
        // our worker recorded the end itself before it died (e.g. a failed write on a full disk)
        this.record({ trial: lost.trial, runId, worker: worker.index, status: own.status, error: own.error, ...NO_METRICS });
      } else if (!ended) {
        const finished = own?.status === 'finished';
        this.skipElsewhere(lost, finished ? 'finished' : 'running', finished ? 'finished (its worker ended after writing)' : 'taken over by another process');
      } else if (this.stopping) {
        this.record({ trial: lost.trial, runId, worker: worker.index, status: 'interrupted', error: null, ...NO_METRICS });
      } else if (!giveUp) {
        this.queue.requeue(lost);
        requeued = true;
      } else {
        this.queue.failed(lost.trial.hash, error);
        this.record({ trial: lost.trial, runId, worker: worker.index, status: 'failed', error, ...NO_METRICS });
      }
    }
    const expected = (slot.stopping && !lost) || this.storageFailure !== null; // killed on purpose: the grid's message says why
    if (!slot.ready && !expected && !this.fatal) this.startupFailures += 1;
    this.emit({ type: 'worker-exit', worker: worker.index, pid: worker.pid, code, signal, expected, lostTrial: lost?.trial ?? null, requeued, stderrTail: expected ? '' : worker.stderrTail() });
    if (this.startupFailures > 2 && !this.fatal) {
      this.fatal = { error: `workers keep exiting before they are ready; last output:\n${worker.stderrTail()}`, userError: false };
      this.stop('workers cannot start');
    }
    const ours = this.queue.left - this.watch.size; // trials left that no other process holds
    if (!this.stopping && ours > 0 && this.busyOrStarting() < ours) this.spawn();
    else this.wakeIdle();
    this.finishIfDone();
  }

  /** Ends a run this grid claimed, unless its lease moved on (finished, or taken over elsewhere). */
  private endHeld(runId: string, status: 'failed' | 'interrupted', error: string): boolean {
    try {
      this.store.endRun(runId, status, error);
      return true;
    } catch (err) {
      const problem = storageProblem(err);
      if (problem) {
        // Even the reserve did not help (a read-only database): say so instead of pretending.
        this.unrecorded.push(runId);
        this.storageFailed(problem);
        return true;
      }
      if (!isLeaseLost(err)) throw err;
      return false;
    }
  }

  private busyOrStarting(): number {
    return [...this.slots].filter((s) => !s.stopping).length;
  }

  private finishIfDone(): void {
    if (this.slots.size === 0 && (this.stopping || this.watch.size === 0)) this.done();
  }
}
