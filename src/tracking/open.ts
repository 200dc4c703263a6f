/** Where the tracking database lives, and opening it. */
import fs from 'node:fs';
import path from 'node:path';
import { fileProblem, UserError } from '../errors';
import { PROJECT_ROOT } from './run-folder';
import { SqliteStore } from './store';
import { makeFolders } from '../files';

/**
 * The database file: `file` if given, else env DIGITS_DB, else runs/digits.sqlite in the
 * digit-lab project folder (not the current directory, so notebooks and the CLI share it).
 * Relative paths resolve against the current directory.
 */
export function defaultDbPath(file?: string): string {
  const chosen = file ?? process.env.DIGITS_DB;
  return chosen ? path.resolve(chosen) : path.join(PROJECT_ROOT, 'runs', 'digits.sqlite');
}

export interface OpenOptions {
  /** Refuse to create a new database (query commands: a typo in --db should not give an empty one). */
  mustExist?: boolean;
  busyTimeoutMs?: number;
  /** The runs folder (default: runsDirFor(): $DIGITS_RUNS_DIR, else the project's runs/). */
  runsDir?: string;
}

/**
 * Opens (creating and migrating if needed) the tracking store. A damaged, read-only or misplaced
 * database is a UserError naming the file and the fix.
 * @example const store = openStore(); store.listRuns({ sort: '-test_accuracy', limit: 5 }); store.close();
 */
export function openStore(file?: string, options: OpenOptions = {}): SqliteStore {
  const target = defaultDbPath(file);
  const stat = statOrNull(target);
  if (stat === null) {
    if (options.mustExist) {
      throw new UserError(`no tracking database at ${target}; run an experiment first (digits run experiments/quickstart.yaml) or point --db / DIGITS_DB at one`);
    }
    try {
      makeFolders(path.dirname(target));
    } catch (err) {
      throw fileProblem(err, path.dirname(target), 'cannot create the folder of the tracking database');
    }
  } else if (!stat.isFile()) {
    throw new UserError(`the tracking database ${target} is ${stat.isDirectory() ? 'a folder' : 'not a regular file (a device or pipe)'}; point --db / DIGITS_DB at a database file`);
  }
  return new SqliteStore(target, { busyTimeoutMs: options.busyTimeoutMs, runsDir: options.runsDir }); // which words its own failures
}

/** fs.statSync, or null when nothing is there; ENOTDIR (a file in the path) is the user's to fix. */
function statOrNull(file: string): fs.Stats | null {
  try {
    return fs.statSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw fileProblem(err, file, 'cannot use the tracking database');
  }
}
