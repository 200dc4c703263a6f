/** Where `digits predict` and `digits serve` find runs: the tracking database, else the run folders. */
import fs from 'node:fs';
import type { Argv } from 'yargs';
import { folderCatalog, RunCatalog, storeCatalog } from '../web';
import { DB_HELP, openStoreForReading, storePaths } from './format/db';

export interface OpenedCatalog {
  catalog: RunCatalog;
  /** Said to the user when the database is missing and run folders are scanned instead. */
  note: string | null;
  close(): void;
}

/** Adds --run, --best, --db and --runs-dir. */
export function withRunOptions<T>(y: Argv<T>) {
  return y
    .option('run', { type: 'string', describe: 'Id (or unique prefix) of the run whose model predicts (see `digits runs`)' })
    .option('best', { type: 'boolean', describe: 'Use the best finished run: highest validation accuracy (the default; ties in the README)' })
    .conflicts('run', 'best')
    .option('db', { type: 'string', describe: DB_HELP })
    .option('runs-dir', { type: 'string', describe: 'Folder of run folders <id>/model; given without --db, runs are found by scanning it (default: $DIGITS_RUNS_DIR, else runs/ in the project folder)' });
}

/**
 * Opens the run catalog. With --db (or $DIGITS_DB), or with neither --db nor --runs-dir when the
 * default database exists: the tracking store. Otherwise (--runs-dir alone, or no database yet): a
 * scan of `<runsDir>/*` for metrics.json + model/. Close it when done.
 */
export function openRunCatalog(args: { db?: string; runsDir?: string }): OpenedCatalog {
  const dbGiven = Boolean(args.db || process.env.DIGITS_DB);
  const { dbFile, runsDir } = storePaths(args);
  if (dbGiven || (!args.runsDir && fs.existsSync(dbFile))) {
    // mustExist: a typo in --db should be an error, not an empty new database.
    const store = openStoreForReading(args);
    return { catalog: storeCatalog(store), note: null, close: () => store.close() };
  }
  const note = args.runsDir ? null : `no tracking database at ${dbFile}; finding runs by scanning ${runsDir}`;
  return { catalog: folderCatalog(runsDir), note, close: () => undefined };
}
