/**
 * The SQLite schema as numbered migrations. `PRAGMA user_version` holds how many have run; each
 * runs in a BEGIN IMMEDIATE transaction, so several processes opening a new database at once
 * apply it exactly once.
 */
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { UserError } from '../errors';
import { claimRunFolder, runFolderOwner } from './owner';

const V1 = `
CREATE TABLE runs (
  id TEXT PRIMARY KEY,
  experiment TEXT NOT NULL,
  name TEXT NOT NULL,
  trial_hash TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'finished', 'failed', 'interrupted')),
  spec TEXT NOT NULL,
  seed INTEGER NOT NULL,
  created_at TEXT NOT NULL,
  started_at TEXT,
  ended_at TEXT,
  heartbeat_at TEXT,
  pid INTEGER,
  host TEXT,
  epochs INTEGER,
  best_epoch INTEGER,
  best_val_accuracy REAL,
  best_val_loss REAL,
  final_val_accuracy REAL,
  final_val_loss REAL,
  train_seconds REAL,
  images_per_sec REAL,
  peak_rss_mb REAL,
  val_accuracy REAL,
  val_loss REAL,
  val_macro_f1 REAL,
  test_accuracy REAL,
  test_loss REAL,
  test_macro_f1 REAL,
  validation TEXT,
  test TEXT,
  provenance TEXT,
  artifact_dir TEXT,
  note TEXT,
  error TEXT
);
CREATE INDEX runs_experiment ON runs (experiment, id);
CREATE INDEX runs_status ON runs (status);
CREATE INDEX runs_trial_hash ON runs (trial_hash);
CREATE INDEX runs_test_accuracy ON runs (test_accuracy);
CREATE INDEX runs_val_accuracy ON runs (val_accuracy);

CREATE TABLE params (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  num REAL,
  text TEXT,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE INDEX params_key_num ON params (key, num);
CREATE INDEX params_key_text ON params (key, text);
CREATE TABLE param_keys (key TEXT PRIMARY KEY) WITHOUT ROWID;

CREATE TABLE metrics (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  epoch INTEGER NOT NULL,
  loss REAL,
  accuracy REAL,
  val_loss REAL,
  val_accuracy REAL,
  learning_rate REAL,
  images_per_sec REAL,
  seconds REAL,
  PRIMARY KEY (run_id, epoch)
) WITHOUT ROWID;

CREATE TABLE class_metrics (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  split TEXT NOT NULL CHECK (split IN ('validation', 'test')),
  label INTEGER NOT NULL,
  precision REAL,
  recall REAL,
  f1 REAL,
  support INTEGER,
  PRIMARY KEY (run_id, split, label)
) WITHOUT ROWID;

CREATE TABLE tags (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (run_id, key)
) WITHOUT ROWID;
CREATE INDEX tags_key_value ON tags (key, value);
`;

/**
 * Per-step training metrics: a few hundred rows per run at most (train/steps.ts picks the interval),
 * so one- and two-epoch runs still draw a curve. `epoch` is fractional (steps done / steps per epoch).
 */
const V2 = `
CREATE TABLE steps (
  run_id TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  epoch REAL NOT NULL,
  loss REAL,
  accuracy REAL,
  PRIMARY KEY (run_id, step)
) WITHOUT ROWID;
`;

/**
 * Leases with attempts (fencing): every claim of a run counts one more attempt, and a worker's
 * writes carry the attempt it claimed, so a worker that lost its run (stalled, then taken over)
 * cannot write over the survivor's.
 */
const V3 = `ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 0;`;


/** What a migration written in code may need besides the database. */
export interface MigrationContext {
  /** The database file. */
  file: string;
  /** The runs folder the store was opened with. */
  runsDir: string;
}

/** A migration: SQL, or code for what SQL cannot do (paths). */
export type Migration = string | ((db: Database.Database, context: MigrationContext) => void);

/**
 * V4: artifact paths become relative to the runs folder, and each evaluation is stored once.
 * A row's absolute artifact_dir inside the runs folder becomes its folder name; one elsewhere stays
 * absolute (still read; never deleted by `digits rm`, which deletes only folders it owns). A folder
 * beside the database (the old default layout) without an owner gets tracking.json naming this
 * database. class_metrics (written, never read) is dropped: the per-class metrics live in the
 * validation and test JSON of the runs row.
 */
function v4(db: Database.Database, context: MigrationContext): void {
  const runsDir = path.resolve(context.runsDir);
  const dbDir = path.dirname(path.resolve(context.file));
  const rows = db.prepare<[], { id: string; artifact_dir: string }>('SELECT id, artifact_dir FROM runs WHERE artifact_dir IS NOT NULL').all();
  const update = db.prepare('UPDATE runs SET artifact_dir = ? WHERE id = ?');
  for (const row of rows) {
    if (!path.isAbsolute(row.artifact_dir)) continue;
    const dir = path.resolve(row.artifact_dir);
    if (path.dirname(dir) === dbDir && fs.existsSync(dir) && runFolderOwner(dir) === null) {
      try {
        claimRunFolder(dir, row.id, context.file);
      } catch {
        // An unwritable folder just stays unowned: rm will keep it rather than guess.
      }
    }
    if (path.dirname(dir) === runsDir) update.run(path.basename(dir), row.id);
  }
  db.exec('DROP TABLE IF EXISTS class_metrics');
}

/**
 * V5: calibration in the runs row, for --where and --sort: the ECE of the validation and test
 * probabilities (also inside their evaluations' JSON), the fitted temperature, and the test ECE after
 * it. Runs recorded before have nulls (their calibration.json, when they have one, still reads).
 */
const V5 = `
ALTER TABLE runs ADD COLUMN val_ece REAL;
ALTER TABLE runs ADD COLUMN test_ece REAL;
ALTER TABLE runs ADD COLUMN temperature REAL;
ALTER TABLE runs ADD COLUMN test_ece_calibrated REAL;
`;

/** Migration i (0-based) brings the schema from version i to i + 1. Append only; never edit one. */
export const MIGRATIONS: Migration[] = [V1, V2, V3, v4, V5];

/** The schema version this code writes. */
export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * A database at schema version 0 is new to digit-lab; if it already holds tables it belongs to
 * something else, and digit-lab's tables must not be added to it (not even by a read command).
 * The store calls this before it changes anything (the journal mode, then the migrations).
 */
export function refuseForeignDatabase(db: Database.Database, file: string): void {
  // One read transaction: another digit-lab creating this database commits its tables and version together.
  const tables = db.transaction(() => {
    if ((db.pragma('user_version', { simple: true }) as number) !== 0) return [];
    return db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all().map((t) => t.name);
  })();
  if (tables.length === 0) return;
  const listed = tables.slice(0, 5).join(', ') + (tables.length > 5 ? ', ...' : '');
  throw new UserError(`the tracking database ${file} is a SQLite database of something else (its tables: ${listed}); point --db / DIGITS_DB at a digit-lab database, or at a new path to start one`);
}

/**
 * Applies the migrations a database is missing, each in its own immediate transaction.
 * Refuses a database written by a newer digit-lab (its version is beyond ours).
 */
export function migrate(db: Database.Database, context: MigrationContext): number {
  for (;;) {
    const applied = db.transaction(() => {
      const version = db.pragma('user_version', { simple: true }) as number;
      if (version > SCHEMA_VERSION) {
        throw new UserError(`the tracking database ${context.file} has schema version ${version}, newer than this digit-lab's (${SCHEMA_VERSION}); upgrade digit-lab`);
      }
      if (version === SCHEMA_VERSION) return false;
      const migration = MIGRATIONS[version];
      if (typeof migration === 'string') db.exec(migration);
      else migration(db, context);
      db.pragma(`user_version = ${version + 1}`);
      return true;
    }).immediate();
    if (!applied) return db.pragma('user_version', { simple: true }) as number;
  }
}
