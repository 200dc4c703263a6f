/** Where the tracking database lives, and opening it. */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { SqliteStore } from './store';

/** The digit-lab project folder (this file is <root>/src/tracking or <root>/dist/tracking). */
export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');

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
}

/**
 * Opens (creating and migrating if needed) the tracking store.
 * @example const store = openStore(); store.listRuns({ sort: '-test_accuracy', limit: 5 }); store.close();
 */
export function openStore(file?: string, options: OpenOptions = {}): SqliteStore {
  const target = defaultDbPath(file);
  if (!fs.existsSync(target)) {
    if (options.mustExist) {
      throw new UserError(`no tracking database at ${target}; run an experiment first (digits run experiments/quickstart.yaml) or point --db / DIGITS_DB at one`);
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
  }
  return new SqliteStore(target, { busyTimeoutMs: options.busyTimeoutMs });
}
