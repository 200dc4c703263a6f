/** Inside a worker: trains and records one trial, reporting progress to the parent. */
import type { Trial } from '../config';
import type { Mnist } from '../data';
import { isUserError } from '../errors';
import { isLeaseLost, storageProblem } from '../tracking';
import type { Provenance, TrackingStore } from '../tracking';
import { trainEnsembleAndRecord } from '../train';
import type { BatchProgress } from '../train';
import { trainAndRecord } from '../train';
import type { EpochMetrics } from '../train';
import type { WorkerMessage, WorkerSetup } from './messages';

export interface TrialContext {
  setup: WorkerSetup;
  mnist: Mnist;
  store: TrackingStore;
  provenance: Provenance;
  signal: AbortSignal;
  send: (message: WorkerMessage) => void;
}

const BATCH_MESSAGE_MS = 250;

/**
 * Trains `trial` into the run `runId` the parent created and claimed as `attempt`, with a heartbeat
 * timer while it trains; reports `done` or `failed` (the store already holds the status and error),
 * or `lost` when a write found that another attempt holds the run now: training stops at once and
 * nothing more is written (every write checks the lease inside its transaction).
 */
export async function runTrial(ctx: TrialContext, runId: string, attempt: number, trial: Trial): Promise<void> {
  const started = performance.now();
  const trialAbort = new AbortController();
  const onStop = () => trialAbort.abort();
  ctx.signal.addEventListener('abort', onStop, { once: true });
  if (ctx.signal.aborted) onStop();
  ctx.store.holdLease({ runId, attempt });
  const heartbeat = setInterval(() => {
    if (!safeHeartbeat(ctx.store, runId)) trialAbort.abort(); // lost: stop after this batch; the next write throws
  }, ctx.setup.heartbeatSeconds * 1000);
  let lastBatch = 0;
  const onBatch = (p: BatchProgress, member: number | null) => {
    const now = Date.now();
    if (now - lastBatch < BATCH_MESSAGE_MS && p.batch !== p.batches) return;
    lastBatch = now;
    ctx.send({ type: 'batch', runId, member, epoch: p.epoch, epochs: p.epochs, batch: p.batch, batches: p.batches, imagesPerSec: p.imagesPerSec });
  };
  const onEpoch = (metrics: EpochMetrics, member: number | null) => ctx.send({ type: 'epoch', runId, member, metrics });
  ctx.send({ type: 'started', runId });
  try {
    const common = { spec: trial.spec, mnist: ctx.mnist, runsDir: ctx.setup.runsDir, provenance: ctx.provenance, store: ctx.store, runId, signal: trialAbort.signal };
    const run = trial.spec.model.kind === 'ensemble'
      ? await trainEnsembleAndRecord({ ...common, onBatch, onEpoch })
      : await trainAndRecord({
        ...common, onBatch: (p) => onBatch(p, null), onEpoch: (m) => onEpoch(m, null),
        onResumed: (epoch) => ctx.send({ type: 'resumed', runId, epoch, epochs: trial.spec.train.epochs }),
      });
    ctx.send({
      type: 'done', runId, status: run.status,
      valAccuracy: run.validation?.accuracy ?? null, testAccuracy: run.test?.accuracy ?? null,
      trainSeconds: run.summary.trainSeconds, wallSeconds: (performance.now() - started) / 1000,
    });
  } catch (err) {
    if (isLeaseLost(err)) {
      ctx.send({ type: 'lost', runId, reason: err.message });
      return;
    }
    const storage = storageProblem(err);
    const message = isUserError(err) || storage ? (err as Error).message : err instanceof Error ? (err.stack ?? err.message) : String(err);
    ctx.send({ type: 'failed', runId, error: message, ...(storage ? { storage } : {}) });
  } finally {
    clearInterval(heartbeat);
    ctx.signal.removeEventListener('abort', onStop);
    ctx.store.dropLease(runId);
  }
}

/**
 * A missed heartbeat is not worth killing a trial for; the next one or the epoch's will do.
 * False only when the lease is lost.
 */
function safeHeartbeat(store: TrackingStore, runId: string): boolean {
  try {
    store.heartbeat(runId);
  } catch (err) {
    if (isLeaseLost(err)) return false;
    // the database was busy beyond its timeout, or the disk is full: the next write will tell
  }
  return true;
}
