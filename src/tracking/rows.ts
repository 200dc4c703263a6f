/** Conversions between SQLite rows and the plain objects of types.ts. Rows never leave src/tracking. */
import type { EpochMetrics, Evaluation } from '../train/types';
import type { Provenance, Run, RunStatus, RunSummary } from './types';

export const RUN_STATUSES: RunStatus[] = ['queued', 'running', 'finished', 'failed', 'interrupted'];

/** A row of the runs table, as better-sqlite3 returns it. */
export interface RunRow {
  id: string;
  experiment: string;
  name: string;
  trial_hash: string;
  status: RunStatus;
  spec: string;
  params: string;
  seed: number;
  created_at: string;
  started_at: string | null;
  ended_at: string | null;
  heartbeat_at: string | null;
  pid: number | null;
  host: string | null;
  epochs: number | null;
  best_epoch: number | null;
  best_val_accuracy: number | null;
  best_val_loss: number | null;
  final_val_accuracy: number | null;
  final_val_loss: number | null;
  train_seconds: number | null;
  images_per_sec: number | null;
  peak_rss_mb: number | null;
  validation: string | null;
  test: string | null;
  provenance: string | null;
  artifact_dir: string | null;
  note: string | null;
  error: string | null;
}

export interface MetricRow {
  epoch: number;
  loss: number;
  accuracy: number;
  val_loss: number;
  val_accuracy: number;
  learning_rate: number;
  images_per_sec: number;
  seconds: number;
}

function summaryOf(r: RunRow): RunSummary | null {
  if (r.epochs === null) return null;
  return {
    epochs: r.epochs,
    bestEpoch: r.best_epoch ?? 0,
    bestValAccuracy: r.best_val_accuracy ?? NaN,
    bestValLoss: r.best_val_loss ?? NaN,
    finalValAccuracy: r.final_val_accuracy ?? NaN,
    finalValLoss: r.final_val_loss ?? NaN,
    trainSeconds: r.train_seconds ?? NaN,
    imagesPerSec: r.images_per_sec ?? NaN,
    peakRssMb: r.peak_rss_mb,
  };
}

/** A runs row (plus its tags) as a plain Run object. */
export function rowToRun(r: RunRow, tags: Record<string, string>): Run {
  return {
    id: r.id,
    experiment: r.experiment,
    name: r.name,
    trialHash: r.trial_hash,
    status: r.status,
    spec: JSON.parse(r.spec),
    params: JSON.parse(r.params),
    seed: r.seed,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    heartbeatAt: r.heartbeat_at,
    summary: summaryOf(r),
    validation: r.validation === null ? null : (JSON.parse(r.validation) as Evaluation),
    test: r.test === null ? null : (JSON.parse(r.test) as Evaluation),
    provenance: r.provenance === null ? null : (JSON.parse(r.provenance) as Provenance),
    artifactDir: r.artifact_dir,
    tags,
    note: r.note,
    error: r.error,
  };
}

/** The columns finishRun writes, named for the SQL statement's parameters. */
export function resultColumns(summary: RunSummary, validation: Evaluation, test: Evaluation): Record<string, unknown> {
  return {
    epochs: summary.epochs,
    best_epoch: summary.bestEpoch,
    best_val_accuracy: summary.bestValAccuracy,
    best_val_loss: summary.bestValLoss,
    final_val_accuracy: summary.finalValAccuracy,
    final_val_loss: summary.finalValLoss,
    train_seconds: summary.trainSeconds,
    images_per_sec: summary.imagesPerSec,
    peak_rss_mb: summary.peakRssMb,
    val_accuracy: validation.accuracy,
    val_loss: validation.loss,
    val_macro_f1: validation.macro.f1,
    test_accuracy: test.accuracy,
    test_loss: test.loss,
    test_macro_f1: test.macro.f1,
    validation: JSON.stringify(validation),
    test: JSON.stringify(test),
  };
}

export function metricRowToEpoch(m: MetricRow): EpochMetrics {
  return {
    epoch: m.epoch,
    loss: m.loss,
    accuracy: m.accuracy,
    valLoss: m.val_loss,
    valAccuracy: m.val_accuracy,
    learningRate: m.learning_rate,
    imagesPerSec: m.images_per_sec,
    seconds: m.seconds,
  };
}

/** A param value split into the typed num/text columns (booleans as 'true'/'false'). */
export function paramColumns(value: unknown): { num: number | null; text: string | null } {
  if (typeof value === 'number') return { num: value, text: null };
  if (value === null || value === undefined) return { num: null, text: null };
  return { num: null, text: String(value) };
}
