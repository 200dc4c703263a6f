/** Where `digits predict` and `digits serve` find runs: the tracking database, else the run folders. */
import fs from 'node:fs';
import path from 'node:path';
import type { Argv } from 'yargs';
import { defaultDbPath } from '../tracking';
import { openStoreForReading } from './format/db';
import { folderCatalog, RunCatalog, storeCatalog } from '../web';

export interface OpenedCatalog {
  catalog: RunCatalog;
  runsDir: string;
  /** Said to the user when the database is missing and run folders are scanned instead. */
  note: string | null;
  close(): void;
}

/** Adds --run, --best, --db and --runs-dir. */
export function withRunOptions<T>(y: Argv<T>) {
  return y
    .option('run', { type: 'string', describe: 'Id of the run whose model predicts (see `digits runs`)' })
    .option('best', { type: 'boolean', describe: 'Use the finished run with the best validation accuracy (the default)' })
    .conflicts('run', 'best')
    .option('db', { type: 'string', describe: 'Tracking database file (default: $DIGITS_DB, else runs/digits.sqlite in the project folder)' })
    .option('runs-dir', { type: 'string', describe: 'Folder of run folders <id>/model; given without --db, runs are found by scanning it (default: the folder of the database)' });
}

/**
 * Opens the run catalog. With --db (or $DIGITS_DB), or with neither --db nor --runs-dir when the
 * default database exists: the tracking store. Otherwise (--runs-dir alone, or no database yet): a
 * scan of `<runsDir>/*` for metrics.json + model/. Close it when done.
 */
export function openRunCatalog(args: { db?: string; runsDir?: string }): OpenedCatalog {
  const dbGiven = Boolean(args.db || process.env.DIGITS_DB);
  const dbFile = defaultDbPath(args.db);
  const runsDir = path.resolve(args.runsDir ?? path.dirname(dbFile));
  if (dbGiven || (!args.runsDir && fs.existsSync(dbFile))) {
    // mustExist: a typo in --db should be an error, not an empty new database.
    const store = openStoreForReading(dbFile, runsDir);
    return { catalog: storeCatalog(store, runsDir), runsDir, note: null, close: () => store.close() };
  }
  const note = args.runsDir ? null : `no tracking database at ${dbFile}; finding runs by scanning ${runsDir}`;
  return { catalog: folderCatalog(runsDir), runsDir, note, close: () => undefined };
}
