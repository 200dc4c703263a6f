import type { RunSpec } from '../config';
import { completeSpec, trialHash } from '../config';
import type { Mnist } from '../data';
import { isLeaseLost, newRunId, runFolderPath, storageProblem, writeRunConfig, type Provenance, type RunSummary, type TrackingStore } from '../tracking';
import {
  calibrationRecord, readRunCheckpoint, removeCheckpointFenced, writeCheckpointFenced, writeRunResultsFenced, type LeaseCommit,
} from './artifacts';
import type { Calibration } from './calibrate';
import { withDataHash } from './provenance';
import { disposeData, prepareData } from './data';
import { trainRun } from './loop';
import type { BatchProgress, TrainOptions } from './options';
import type { EpochMetrics, Evaluation, StepMetrics } from './types';

/** Step points written to the store in one transaction at most (a long epoch writes several batches). */
const STEP_BATCH = 50;

export interface RecordedRunInput {
  spec: RunSpec;
  mnist: Mnist;
  /** The runs folder (see runsDirFor); the run writes to <runsDir>/<run id>/. */
  runsDir: string;
  provenance: Provenance;
  /** The tracking store; without one the run only writes its folder (id from newRunId). */
  store?: TrackingStore;
  /** An existing queued run to train (the runner's case); otherwise a new run is created. */
  runId?: string;
  experiment?: string;
  name?: string;
  onEpoch?: (metrics: EpochMetrics) => void;
  onBatch?: (progress: BatchProgress) => void;
  /** Each per-step point as it is logged (train/steps.ts), after it joins the store's next batch. */
  onStep?: (metrics: StepMetrics) => void;
  /** Training goes on from the run's checkpoint: called with the first epoch it trains. */
  onResumed?: (epoch: number) => void;
  signal?: AbortSignal;
  augment?: TrainOptions['augment'];
}

export interface RecordedRun {
  id: string;
  dir: string;
  status: 'finished' | 'interrupted';
  summary: RunSummary;
  validation: Evaluation | null;
  test: Evaluation | null;
}

/**
 * Trains one run end to end and records it: creates (or takes) the run in the store, writes
 * config.json, marks it running, logs each epoch (and a heartbeat), writes the artifacts, then
 * finishes it, or ends it as 'interrupted' (aborted) or 'failed' (an exception, rethrown). For a run
 * the caller created (`runId`: the runner's), it replaces the run's checkpoint after every epoch but
 * the last, goes on from one an interrupted attempt of the same trial left, and removes it when the
 * run finishes. Under a
 * lease (store.holdLease) every write checks it; LeaseLostError is rethrown with nothing written.
 *
 * @example const run = await trainAndRecord({ spec, mnist, runsDir: 'runs', provenance, store, signal });
 */
export async function trainAndRecord(input: RecordedRunInput): Promise<RecordedRun> {
  const { store } = input;
  const spec = completeSpec(input.spec); // a spec built by hand may lack the fields added after the first release
  const hash = trialHash(spec);
  const id = input.runId ?? store?.createRun({ experiment: input.experiment ?? 'cli', name: input.name ?? defaultName(spec), trialHash: hash, spec, seed: spec.seed }).id ?? newRunId();
  const dir = runFolderPath(input.runsDir, id);
  // Only a run the caller created to resume later (the runner's, a Slurm task's: they pass runId) is checkpointed;
  // a new run of `digits train` or a notebook is never resumed, so a checkpoint would only take disk.
  const resumable = input.runId !== undefined;
  // Every write into the folder after a start goes through the lease, when there is a store.
  const commit: LeaseCommit = store ? (move) => store.underLease(id, move) : (move) => move();
  try {
    store?.startRun(id, withDataHash(input.provenance, input.mnist), dir); // first: a worker that lost the run's lease writes nothing
    writeRunConfig(dir, spec);
    const data = prepareData(input.mnist, spec);
    // An earlier attempt's checkpoint (same trial): training goes on after its last finished epoch.
    const resume = (resumable && readRunCheckpoint(dir, hash)) || undefined;
    // Step metrics go to the store in batches: with each epoch, when STEP_BATCH are waiting, and at the end.
    const pending: StepMetrics[] = [];
    const writeSteps = () => store?.logSteps(id, pending.splice(0));
    try {
      const result = await trainRun(spec, data, {
        signal: input.signal,
        onBatch: input.onBatch,
        augment: input.augment,
        resume,
        onResumed: (epoch) => {
          // What the earlier attempts recorded, again under this attempt: a cluster task's journal keeps only its newest attempt's.
          if (resume) {
            store?.logEpochs(id, resume.state.history);
            store?.logSteps(id, resume.state.points);
          }
          input.onResumed?.(epoch);
        },
        onCheckpoint: resumable ? (checkpoint) => writeCheckpointFenced(dir, checkpoint, hash, commit) : undefined,
        onStep: (m) => {
          pending.push(m);
          input.onStep?.(m);
          if (pending.length >= STEP_BATCH) writeSteps();
        },
        onEpoch: (m) => {
          writeSteps();
          store?.logEpochs(id, [m]);
          store?.heartbeat(id);
          input.onEpoch?.(m);
        },
      });
      writeSteps();
      let calibration: Calibration | null = null;
      try {
        const labels = { validation: data.validation.labels, test: data.test.labels };
        calibration = await writeRunResultsFenced(dir, result, labels, commit);
        if (result.status === 'finished' && resumable) removeCheckpointFenced(dir, commit);
      } finally {
        result.model.dispose();
      }
      if (result.status === 'finished' && result.validation && result.test) {
        store?.finishRun(id, { summary: result.summary, validation: result.validation, test: result.test, calibration: calibrationRecord(calibration) });
      } else {
        store?.endRun(id, 'interrupted');
      }
      return { id, dir, status: result.status, summary: result.summary, validation: result.validation, test: result.test };
    } finally {
      disposeData(data);
    }
  } catch (err) {
    if (store) endRunAfterError(store, id, err);
    throw err;
  }
}

/**
 * Ends run `id` after `err` stopped it: 'interrupted' for a full or unwritable disk (not the run's
 * fault, so the next run resumes it), else 'failed'; nothing when the lease was lost (the run is another worker's).
 */
export function endRunAfterError(store: TrackingStore, id: string, err: unknown): void {
  if (!isLeaseLost(err)) store.endRun(id, storageProblem(err) ? 'interrupted' : 'failed', err instanceof Error ? err.message : String(err));
}

/** A readable run name, e.g. "cnn seed=1" or "lstm-128 seed=2". */
function defaultName(spec: RunSpec): string {
  const model = spec.model.kind === 'rnn' ? `${spec.model.cell}-${spec.model.units}` : spec.model.kind;
  return `${model} seed=${spec.seed}`;
}
