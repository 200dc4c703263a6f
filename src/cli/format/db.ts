/** The `--db` and `--runs-dir` options every command that touches runs shares, and opening the store for them. */
import type { Argv } from 'yargs';
import { defaultDbPath, ensureRunsDir, importJournals, openStore, runsDirFor, type SqliteStore, type TrackingStore } from '../../tracking';

export const DB_HELP = 'Tracking database file (default: $DIGITS_DB, else runs/digits.sqlite in the project folder)';
export const RUNS_DIR_HELP = 'Folder of run folders <id>/ (default: $DIGITS_RUNS_DIR, else runs/ in the project folder, wherever the database is)';

/** The flags that say where runs are recorded. */
export interface StoreFlags {
  db?: string;
  runsDir?: string;
}

/** Adds `--db` and `--runs-dir`. */
export function withDbOption<T>(y: Argv<T>) {
  return y.option('db', { type: 'string', describe: DB_HELP }).option('runs-dir', { type: 'string', describe: RUNS_DIR_HELP });
}

/** The database file and the runs folder the flags (and environment) name. */
export function storePaths(flags: StoreFlags): { dbFile: string; runsDir: string } {
  return { dbFile: defaultDbPath(flags.db), runsDir: runsDirFor(flags.runsDir) };
}

/** storePaths for a command that will write run folders: the runs folder is created and checked first. */
export function writableStorePaths(flags: StoreFlags): { dbFile: string; runsDir: string } {
  const paths = storePaths(flags);
  ensureRunsDir(paths.runsDir);
  return paths;
}

/**
 * Opens an existing store for a command that reads it, first importing the journals of runs that
 * train elsewhere (Slurm tasks, in the runs folder), so what it shows is current.
 */
export function openStoreForReading(flags: StoreFlags): SqliteStore {
  const { dbFile, runsDir } = storePaths(flags);
  const store = openStore(dbFile, { mustExist: true, runsDir });
  try {
    importJournals(store, runsDir);
  } catch (err) {
    store.close();
    throw err;
  }
  return store;
}


/** Runs `fn` with an existing store (journals imported) and always closes it. */
export async function usingStore<R>(flags: StoreFlags, fn: (store: TrackingStore) => R | Promise<R>): Promise<R> {
  const store = openStoreForReading(flags);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
