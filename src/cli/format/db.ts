/** The `--db` option shared by the query commands, and opening the store for them. */
import type { Argv } from 'yargs';
import fs from 'node:fs';
import path from 'node:path';
import { defaultDbPath, importJournals, openStore } from '../../tracking';
import type { TrackingStore } from '../../tracking';

/** Adds `--db`: the tracking database (default env DIGITS_DB, else runs/digits.sqlite of the project). */
export function withDbOption<T>(y: Argv<T>) {
  return y.option('db', {
    type: 'string',
    describe: 'Tracking database file (default: $DIGITS_DB, else runs/digits.sqlite in the project folder)',
  });
}

/**
 * Opens an existing store for a command that reads it, first importing the journals of runs that
 * train elsewhere (Slurm tasks), so what it shows is current. `runsDir`: where the run folders are.
 */
export function openStoreForReading(db: string | undefined, runsDir?: string): ReturnType<typeof openStore> {
  const store = openStore(db, { mustExist: true });
  try {
    importJournals(store, path.resolve(runsDir ?? path.dirname(defaultDbPath(db))));
  } catch (err) {
    store.close();
    throw err;
  }
  return store;
}

/** Imports pending journals into the database at `dbFile`, if there is one (before a local grid plans). */
export function importPendingJournals(dbFile: string, runsDir: string): void {
  if (!fs.existsSync(dbFile)) return;
  const store = openStore(dbFile);
  try {
    importJournals(store, runsDir);
  } finally {
    store.close();
  }
}

/** Runs `fn` with an existing store (journals imported) and always closes it. */
export async function usingStore<R>(db: string | undefined, fn: (store: TrackingStore) => R | Promise<R>): Promise<R> {
  const store = openStoreForReading(db);
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
