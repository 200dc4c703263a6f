/**
 * The TrackingStore on SQLite (better-sqlite3): WAL, a 10 s busy timeout, foreign keys, and every
 * write in a BEGIN IMMEDIATE transaction so that concurrent worker processes never see
 * "database is locked" and a crash leaves no half-written run.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { flattenParams } from '../config';
import type { RunSpec } from '../config';
import { fileProblem } from '../errors';
import { makeFolders } from '../files';
import type { EpochMetrics, StepMetrics } from './records';
import { newRunId } from './ids';
import { databaseProblem, guardMethods } from './db-errors';
import { claimRunFolder, isOwnedBy, runFolderOwner } from './owner';
import { checkLease, markStale } from './lease';
import { listRuns, queryNames, resolveRunId } from './queries';
import { resultColumns } from './columns';
import { metricRowToEpoch, paramColumns, rowToRun, SELECT_RUN, type MetricRow, type RunRow } from './rows';
import { runsDirFor } from './run-folder';
import { migrate, refuseForeignDatabase } from './schema';
import type { DeletedRun, Lease, Provenance, Run, RunOwner, RunQuery, RunResult, StaleRunOptions, TrackingStore } from './types';

const now = () => new Date().toISOString();

/** The methods where a damaged database becomes a UserError (a full or read-only disk keeps its SqliteError: see guardMethods). */
const GUARDED: (keyof SqliteStore)[] = [
  'createRun', 'startRun', 'claimRun', 'underLease', 'markStaleRuns', 'logEpochs', 'logSteps', 'heartbeat', 'finishRun', 'endRun',
  'getRun', 'history', 'steps', 'listRuns', 'findByHash', 'setTags', 'setNote', 'deleteRun', 'resolveRunId', 'queryNames',
  'integrityCheck',
];

export interface StoreOptions {
  busyTimeoutMs?: number;
  /** The runs folder: stored artifact paths are relative to it (default: runsDirFor(), the project's runs/). */
  runsDir?: string;
}

/**
 * Switches the file to WAL, waiting up to `timeoutMs` for other connections. WAL is a property of
 * the file, so once it is set there is nothing to do. The switch itself needs exclusive access and
 * SQLite does not run the busy handler for it: two processes creating one database at once (two
 * `digits run` of a file) would fail at once with SQLITE_BUSY, so the switch is retried here.
 */
function enableWal(db: Database.Database, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  for (let pause = 5; ; pause = Math.min(pause * 2, 100)) {
    try {
      if (db.pragma('journal_mode', { simple: true }) !== 'wal') db.pragma('journal_mode = WAL');
      return;
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_BUSY' || Date.now() >= deadline) throw err;
    }
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, pause);
  }
}

export class SqliteStore implements TrackingStore {
  readonly file: string;
  readonly runsDir: string;
  private readonly db: Database.Database;
  /** Runs this store object writes under a lease: run id -> attempt (see holdLease). */
  private readonly leases = new Map<string, number>();

  constructor(file: string, options: StoreOptions = {}) {
    this.file = file;
    this.runsDir = path.resolve(options.runsDir ?? runsDirFor());
    try {
      this.db = new Database(file, { timeout: options.busyTimeoutMs ?? 10_000 });
    } catch (err) {
      throw databaseProblem(err, file); // a missing folder, a file in the path: one line here too, not only through openStore
    }
    try {
      this.db.pragma(`busy_timeout = ${options.busyTimeoutMs ?? 10_000}`);
      refuseForeignDatabase(this.db, file); // before anything is changed in another program's database, even its journal mode
      enableWal(this.db, options.busyTimeoutMs ?? 10_000);
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      migrate(this.db, { file, runsDir: this.runsDir });
    } catch (err) {
      this.db.close();
      throw databaseProblem(err, file);
    }
    guardMethods<SqliteStore>(this, file, GUARDED);
  }

  private write<T>(fn: () => T): T {
    return this.db.transaction(fn).immediate();
  }

  /** A write to run `id`: one immediate transaction that first checks the lease, when one is held. */
  private writeRun<T>(id: string, fn: () => T): T {
    return this.write(() => {
      const attempt = this.leases.get(id);
      if (attempt !== undefined) checkLease(this.db, id, attempt);
      return fn();
    });
  }

  /** The run's heartbeat: its writer is alive now (see lease.ts). Call inside a write. */
  private touch(id: string): void {
    this.db.prepare('UPDATE runs SET heartbeat_at = ? WHERE id = ?').run(now(), id);
  }

  private mustExist(id: string): void {
    if (!this.db.prepare('SELECT 1 FROM runs WHERE id = ?').get(id)) throw new Error(`no run with id ${id}`);
  }

  createRun(input: { experiment: string; name: string; trialHash: string; spec: RunSpec; seed: number }): Run {
    const id = newRunId();
    const params = flattenParams(input.spec);
    const insertParam = this.db.prepare('INSERT INTO params (run_id, key, num, text) VALUES (?, ?, ?, ?)');
    const insertKey = this.db.prepare('INSERT OR IGNORE INTO param_keys (key) VALUES (?)');
    this.write(() => {
      this.db.prepare(
        `INSERT INTO runs (id, experiment, name, trial_hash, status, spec, seed, created_at)
         VALUES (?, ?, ?, ?, 'queued', ?, ?, ?)`,
      ).run(id, input.experiment, input.name, input.trialHash, JSON.stringify(input.spec), input.seed, now());
      for (const [key, value] of Object.entries(params)) {
        const { num, text } = paramColumns(value);
        insertParam.run(id, key, num, text);
        insertKey.run(key);
      }
    });
    return this.getRun(id) as Run;
  }

  startRun(id: string, provenance: Provenance, artifactDir: string): void {
    const dir = path.resolve(artifactDir);
    // Relative to the runs folder, so a copied project folder (database and runs together) finds its own copies.
    const stored = path.dirname(dir) === this.runsDir ? path.basename(dir) : dir;
    try {
      makeFolders(dir);
      claimRunFolder(dir, id, this.file);
    } catch (err) {
      throw fileProblem(err, dir, 'cannot write the run folder');
    }
    this.writeRun(id, () => {
      this.mustExist(id);
      const t = now();
      this.db.prepare(
        `UPDATE runs SET status = 'running', started_at = coalesce(started_at, ?), heartbeat_at = ?, ended_at = NULL,
         error = NULL, pid = ?, host = ?, provenance = ?, artifact_dir = ? WHERE id = ?`,
      ).run(t, t, provenance.pid, provenance.host, JSON.stringify(provenance), stored, id);
    });
  }

  claimRun(id: string, owner: RunOwner): number | null {
    return this.write(() => {
      const t = now();
      const r = this.db.prepare(
        `UPDATE runs SET status = 'running', pid = ?, host = ?, started_at = ?, heartbeat_at = ?, ended_at = NULL, error = NULL,
         attempt = attempt + 1 WHERE id = ? AND status IN ('queued', 'interrupted', 'failed')`,
      ).run(owner.pid, owner.host, t, t, id);
      if (r.changes !== 1) return null;
      return (this.db.prepare<[string], { attempt: number }>('SELECT attempt FROM runs WHERE id = ?').get(id) as { attempt: number }).attempt;
    });
  }

  holdLease(lease: Lease): void {
    this.leases.set(lease.runId, lease.attempt);
  }

  dropLease(runId: string): void {
    this.leases.delete(runId);
  }

  underLease<T>(runId: string, fn: () => T): T {
    return this.writeRun(runId, () => {
      this.touch(runId);
      return fn();
    });
  }

  markStaleRuns(options?: StaleRunOptions): string[] {
    return markStale(this.db, options);
  }

  logEpochs(id: string, epochs: EpochMetrics[]): void {
    const insert = this.db.prepare(
      `INSERT OR REPLACE INTO metrics (run_id, epoch, loss, accuracy, val_loss, val_accuracy, learning_rate, images_per_sec, seconds)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.writeRun(id, () => {
      for (const e of epochs) {
        insert.run(id, e.epoch, e.loss, e.accuracy, e.valLoss, e.valAccuracy, e.learningRate, e.imagesPerSec, e.seconds);
      }
      this.touch(id);
    });
  }

  logSteps(id: string, steps: StepMetrics[]): void {
    if (steps.length === 0) return;
    const insert = this.db.prepare('INSERT OR REPLACE INTO steps (run_id, step, epoch, loss, accuracy) VALUES (?, ?, ?, ?, ?)');
    this.writeRun(id, () => {
      for (const s of steps) insert.run(id, s.step, s.epoch, s.loss, s.accuracy);
    });
  }

  heartbeat(id: string): void {
    this.writeRun(id, () => this.touch(id));
  }

  finishRun(id: string, result: RunResult): void {
    const cols = resultColumns(result);
    const names = Object.keys(cols);
    this.writeRun(id, () => {
      this.mustExist(id);
      this.db.prepare(
        `UPDATE runs SET status = 'finished', ended_at = @ended_at, heartbeat_at = @ended_at, error = NULL,
         ${names.map((n) => `${n} = @${n}`).join(', ')} WHERE id = @id`,
      ).run({ ...cols, ended_at: now(), id });
    });
  }

  endRun(id: string, status: 'failed' | 'interrupted', error?: string): void {
    this.writeRun(id, () => {
      this.mustExist(id);
      this.db.prepare('UPDATE runs SET status = ?, ended_at = ?, error = ? WHERE id = ?').run(status, now(), error ?? null, id);
    });
  }

  getRun(id: string): Run | null {
    const row = this.db.prepare<[string], RunRow>(`${SELECT_RUN} WHERE id = ?`).get(id);
    if (!row) return null;
    const tags = this.db.prepare<[string], { key: string; value: string }>('SELECT key, value FROM tags WHERE run_id = ?').all(id);
    return rowToRun(row, Object.fromEntries(tags.map((t) => [t.key, t.value])), this.runsDir);
  }

  history(id: string): EpochMetrics[] {
    return this.db.prepare<[string], MetricRow>('SELECT * FROM metrics WHERE run_id = ? ORDER BY epoch').all(id).map(metricRowToEpoch);
  }

  steps(id: string): StepMetrics[] {
    return this.db
      .prepare<[string], StepMetrics>('SELECT step, epoch, loss, accuracy FROM steps WHERE run_id = ? ORDER BY step')
      .all(id);
  }

  listRuns(query: RunQuery = {}): Run[] {
    return listRuns(this.db, query, this.runsDir);
  }

  findByHash(trialHash: string): Run[] {
    return listRuns(this.db, { where: `trial_hash=${JSON.stringify(trialHash)}`, sort: 'created_at' }, this.runsDir);
  }

  setTags(id: string, tags: Record<string, string>): void {
    const upsert = this.db.prepare('INSERT OR REPLACE INTO tags (run_id, key, value) VALUES (?, ?, ?)');
    this.writeRun(id, () => {
      this.mustExist(id);
      for (const [key, value] of Object.entries(tags)) upsert.run(id, key, value);
    });
  }

  setNote(id: string, note: string): void {
    this.write(() => {
      this.mustExist(id);
      this.db.prepare('UPDATE runs SET note = ? WHERE id = ?').run(note, id);
    });
  }

  deleteRun(id: string): DeletedRun {
    const dir = this.getRun(id)?.artifactDir ?? null;
    this.write(() => this.db.prepare('DELETE FROM runs WHERE id = ?').run(id));
    if (dir === null || !fs.existsSync(dir)) return { removedFolder: null, keptFolder: null };
    if (!isOwnedBy(dir, id, this.file)) {
      const owner = runFolderOwner(dir);
      const reason = owner ? `it belongs to the database ${owner}` : 'it names no owning database (tracking.json)';
      return { removedFolder: null, keptFolder: { dir, reason } };
    }
    try {
      fs.rmSync(dir, { recursive: true, force: true });
    } catch (err) {
      throw fileProblem(err, dir, `deleted run ${id} from the database but cannot remove its folder`);
    }
    return { removedFolder: dir, keptFolder: null };
  }

  resolveRunId(idOrPrefix: string): string {
    return resolveRunId(this.db, idOrPrefix);
  }

  queryNames(): string[] {
    return queryNames(this.db);
  }

  /** PRAGMA integrity_check: 'ok' for a healthy file. */
  integrityCheck(): string {
    return (this.db.pragma('integrity_check') as { integrity_check: string }[]).map((r) => r.integrity_check).join('; ');
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
