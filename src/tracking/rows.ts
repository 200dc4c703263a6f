/** Conversions between SQLite rows and the plain objects of types.ts. Rows never leave src/tracking. */
import { completeSpec, flattenParams } from '../config';
import type { EpochMetrics, Evaluation } from './records';
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
  attempt: number;
}

/** The runs columns in a fixed order, for `.raw()` reads (arrays cost far less than row objects). */
export const RUN_FIELDS = [
  'id', 'experiment', 'name', 'trial_hash', 'status', 'spec', 'seed', 'created_at', 'started_at', 'ended_at',
  'heartbeat_at', 'pid', 'host', 'epochs', 'best_epoch', 'best_val_accuracy', 'best_val_loss', 'final_val_accuracy',
  'final_val_loss', 'train_seconds', 'images_per_sec', 'peak_rss_mb', 'validation', 'test', 'provenance',
  'artifact_dir', 'note', 'error', 'attempt',
] as const;

/** `SELECT <RUN_FIELDS> FROM runs` (add WHERE ...). */
export const SELECT_RUN = `SELECT ${RUN_FIELDS.join(', ')} FROM runs`;

/** A raw row (values in RUN_FIELDS order) as a RunRow; a literal, so every row shares one shape. */
export function arrayToRow(a: any[]): RunRow { // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    id: a[0], experiment: a[1], name: a[2], trial_hash: a[3], status: a[4], spec: a[5], seed: a[6], created_at: a[7],
    started_at: a[8], ended_at: a[9], heartbeat_at: a[10], pid: a[11], host: a[12], epochs: a[13], best_epoch: a[14],
    best_val_accuracy: a[15], best_val_loss: a[16], final_val_accuracy: a[17], final_val_loss: a[18],
    train_seconds: a[19], images_per_sec: a[20], peak_rss_mb: a[21], validation: a[22], test: a[23],
    provenance: a[24], artifact_dir: a[25], note: a[26], error: a[27], attempt: a[28],
  };
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
 * does not show. They are ordinary enumerable accessors: spreads and JSON.stringify see them.
 */
export function rowToRun(r: RunRow, tags: Record<string, string>): Run {
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
    status: r.status,
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
    get provenance(): Provenance | null { return provenance === undefined ? (provenance = parseOrNull<Provenance>(r.provenance)) : provenance; },
    set provenance(v: Provenance | null) { provenance = v; },
    artifactDir: r.artifact_dir,
    tags,
    note: r.note,
    error: r.error,
    attempt: r.attempt,
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
