/** Conversions between SQLite rows and the plain objects of types.ts. Rows never leave src/tracking. */
import path from 'node:path';
import { completeSpec, flattenParams } from '../config';
import type { EpochMetrics, Evaluation } from './records';
import { READ_COLUMNS, type RunRow } from './columns';
import type { Provenance, Run, RunStatus, RunSummary } from './types';

export const RUN_STATUSES: RunStatus[] = ['queued', 'running', 'finished', 'failed', 'interrupted'];

export type { RunRow } from './columns';

/** `SELECT <read columns> FROM runs` (add WHERE ...). */
export const SELECT_RUN = `SELECT ${READ_COLUMNS.join(', ')} FROM runs`;

/** A raw row (values in READ_COLUMNS order) as a RunRow; keys always in the same order, so rows share one shape. */
export function arrayToRow(a: unknown[]): RunRow {
  const row: Record<string, unknown> = {};
  for (let i = 0; i < READ_COLUMNS.length; i++) row[READ_COLUMNS[i]] = a[i];
  return row as RunRow;
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

const parseOrNull = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));

/**
 * A runs row (plus its tags) as a Run object. Its JSON fields (spec, params, evaluations,
 * provenance) are parsed on first read and kept, so listing thousands of runs parses nothing it
 * does not show; they are ordinary enumerable accessors: spreads and JSON.stringify see them. The
 * stored artifact path (relative to the runs folder, or absolute for rows from before V4 outside
 * it) is resolved against `runsDir`. This is the one place a runs row becomes a Run.
 */
export function rowToRun(r: RunRow, tags: Record<string, string>, runsDir: string): Run {
  let spec: Run['spec'] | undefined;
  let params: Run['params'] | undefined;
  let validation: Evaluation | null | undefined;
  let test: Evaluation | null | undefined;
  let provenance: Provenance | null | undefined;
  return {
    id: r.id,
    experiment: r.experiment,
    name: r.name,
    trialHash: r.trial_hash,
    status: r.status as RunStatus,
    get spec() { return (spec ??= completeSpec(JSON.parse(r.spec))); }, // runs stored before a field existed get its default
    set spec(v) { spec = v; },
    get params() { return (params ??= flattenParams(this.spec)); },
    set params(v) { params = v; },
    seed: r.seed,
    createdAt: r.created_at,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    heartbeatAt: r.heartbeat_at,
    summary: summaryOf(r),
    get validation(): Evaluation | null { return validation === undefined ? (validation = parseOrNull<Evaluation>(r.validation)) : validation; },
    set validation(v: Evaluation | null) { validation = v; },
    get test(): Evaluation | null { return test === undefined ? (test = parseOrNull<Evaluation>(r.test)) : test; },
    set test(v: Evaluation | null) { test = v; },
    calibration: r.temperature === null ? null : { temperature: r.temperature, testEce: r.test_ece_calibrated },
    get provenance(): Provenance | null { return provenance === undefined ? (provenance = parseOrNull<Provenance>(r.provenance)) : provenance; },
    set provenance(v: Provenance | null) { provenance = v; },
    artifactDir: r.artifact_dir === null ? null : path.resolve(runsDir, r.artifact_dir),
    tags,
    note: r.note,
    error: r.error,
    attempt: r.attempt,
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
