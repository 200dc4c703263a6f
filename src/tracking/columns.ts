/**
 * The runs table's columns, declared once. Everything else is derived from this table: the row
 * type and the column list reads fetch (rows.ts), the names `--where` and `--sort` accept (where.ts)
 * and the columns finishRun writes from a result. The schema migrations create these columns; a
 * test checks that the migrated table has exactly these, with these types.
 * A column added by a new migration is added here, once.
 */
import type { RunResult } from './types';

interface ColumnSpec {
  type: 'TEXT' | 'INTEGER' | 'REAL';
  notNull?: boolean;
  /** A name of the --where / --sort language. */
  query?: boolean;
  /** Read into the Run object (rowToRun); query-only columns are copies for indexes and filters. */
  read?: boolean;
  /** Written by finishRun from the run's result. */
  result?: (r: RunResult) => string | number | null;
}

export const RUN_COLUMNS = {
  id: { type: 'TEXT', notNull: true, query: true, read: true },
  experiment: { type: 'TEXT', notNull: true, query: true, read: true },
  name: { type: 'TEXT', notNull: true, query: true, read: true },
  trial_hash: { type: 'TEXT', notNull: true, query: true, read: true },
  status: { type: 'TEXT', notNull: true, query: true, read: true },
  spec: { type: 'TEXT', notNull: true, read: true },
  seed: { type: 'INTEGER', notNull: true, query: true, read: true },
  created_at: { type: 'TEXT', notNull: true, query: true, read: true },
  started_at: { type: 'TEXT', query: true, read: true },
  ended_at: { type: 'TEXT', query: true, read: true },
  heartbeat_at: { type: 'TEXT', read: true },
  pid: { type: 'INTEGER', read: true },
  host: { type: 'TEXT', read: true },
  epochs: { type: 'INTEGER', query: true, read: true, result: (r) => r.summary.epochs },
  best_epoch: { type: 'INTEGER', query: true, read: true, result: (r) => r.summary.bestEpoch },
  best_val_accuracy: { type: 'REAL', query: true, read: true, result: (r) => r.summary.bestValAccuracy },
  best_val_loss: { type: 'REAL', query: true, read: true, result: (r) => r.summary.bestValLoss },
  final_val_accuracy: { type: 'REAL', query: true, read: true, result: (r) => r.summary.finalValAccuracy },
  final_val_loss: { type: 'REAL', read: true, result: (r) => r.summary.finalValLoss },
  train_seconds: { type: 'REAL', query: true, read: true, result: (r) => r.summary.trainSeconds },
  images_per_sec: { type: 'REAL', query: true, read: true, result: (r) => r.summary.imagesPerSec },
  peak_rss_mb: { type: 'REAL', query: true, read: true, result: (r) => r.summary.peakRssMb },
  // Indexed copies of numbers inside the evaluations, for --where/--sort; the evaluations themselves are the JSON below.
  val_accuracy: { type: 'REAL', query: true, result: (r) => r.validation.accuracy },
  val_loss: { type: 'REAL', query: true, result: (r) => r.validation.loss },
  val_macro_f1: { type: 'REAL', query: true, result: (r) => r.validation.macro.f1 },
  test_accuracy: { type: 'REAL', query: true, result: (r) => r.test.accuracy },
  test_loss: { type: 'REAL', query: true, result: (r) => r.test.loss },
  test_macro_f1: { type: 'REAL', query: true, result: (r) => r.test.macro.f1 },
  val_ece: { type: 'REAL', query: true, result: (r) => r.validation.ece ?? null },
  test_ece: { type: 'REAL', query: true, result: (r) => r.test.ece ?? null },
  temperature: { type: 'REAL', query: true, read: true, result: (r) => r.calibration?.temperature ?? null },
  test_ece_calibrated: { type: 'REAL', query: true, read: true, result: (r) => r.calibration?.testEce ?? null },
  validation: { type: 'TEXT', read: true, result: (r) => JSON.stringify(r.validation) },
  test: { type: 'TEXT', read: true, result: (r) => JSON.stringify(r.test) },
  provenance: { type: 'TEXT', read: true },
  artifact_dir: { type: 'TEXT', read: true },
  note: { type: 'TEXT', read: true },
  error: { type: 'TEXT', read: true },
  attempt: { type: 'INTEGER', notNull: true, read: true },
} as const satisfies Record<string, ColumnSpec>;

type Columns = typeof RUN_COLUMNS;
type ReadName = { [K in keyof Columns]: Columns[K] extends { read: true } ? K : never }[keyof Columns];
type ValueOf<C> = (C extends { type: 'TEXT' } ? string : number) | (C extends { notNull: true } ? never : null);

/** A row of the runs table as reads return it: every `read` column. */
export type RunRow = { [K in ReadName]: ValueOf<Columns[K]> };

const entries = Object.entries(RUN_COLUMNS) as [keyof Columns, ColumnSpec][];

/** The columns a read fetches, in a fixed order, for `.raw()` reads (arrays cost far less than row objects). */
export const READ_COLUMNS = entries.filter(([, c]) => c.read).map(([name]) => name as ReadName);

/** The names of the --where/--sort language that are columns: name -> SQL and whether it holds numbers. */
export const QUERY_COLUMNS: ReadonlyMap<string, { sql: string; numeric: boolean; notNull: boolean }> = new Map(
  entries.filter(([, c]) => c.query).map(([name, c]) => [name, { sql: `runs.${name}`, numeric: c.type !== 'TEXT', notNull: c.notNull === true }]),
);

/** The columns finishRun writes, with their values for `result`. */
export function resultColumns(result: RunResult): Record<string, string | number | null> {
  return Object.fromEntries(entries.filter(([, c]) => c.result).map(([name, c]) => [name, c.result!(result)]));
}
