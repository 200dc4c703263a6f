/**
 * SQLite failures that are the user's to fix (a damaged file, a read-only or full disk, a file in
 * the way) as one-line UserErrors naming the database and the fix. Anything else (a wrong SQL
 * statement, a constraint) is a bug and keeps its stack.
 */
import { UserError } from '../errors';

/** The codes of a damaged database file, which can surface at any query, not only at open. */
const DAMAGED = /^SQLITE_(NOTADB|CORRUPT)/;

/**
 * SQLite codes the user can fix: how the database is unwell (after "the tracking database <file>"),
 * and, for failures of the disk under it, the plain words the runner's storage handling uses. First
 * match wins.
 */
const CODES: { code: RegExp; fix: string; disk?: string }[] = [
  { code: DAMAGED, fix: 'is damaged or not a SQLite database; restore it from a backup, or point --db / DIGITS_DB at another file (a new path starts an empty one)' },
  { code: /^SQLITE_READONLY/, fix: 'is read-only; make it and its folder writable, or copy it somewhere writable and pass --db', disk: 'the database is read-only' },
  { code: /^SQLITE_(FULL|IOERR_WRITE|IOERR_SHMSIZE)$/, fix: 'cannot be written: the disk is full; free some space and run again (what was recorded so far is kept)', disk: 'the disk is full' },
  { code: /^SQLITE_CANTOPEN/, fix: 'cannot be opened (a folder, a missing folder or no permission); point --db / DIGITS_DB at a database file in a writable folder', disk: 'the database file cannot be opened' },
  { code: /^SQLITE_PERM|^SQLITE_AUTH/, fix: 'cannot be accessed: no permission; fix its permissions or choose another --db' },
  { code: /^SQLITE_IOERR/, fix: 'cannot be read or written (an I/O error: a device such as /dev/null, or a failing disk); point --db / DIGITS_DB at a regular file', disk: 'a disk I/O error' },
  { code: /^SQLITE_BUSY/, fix: 'stayed locked by another process for the whole busy timeout; wait for it to finish, then run again' },
];

/**
 * The disk's failure under a SQLite error in plain words ("the disk is full"), or null for any other
 * error. By its code, so a SqliteError that databaseProblem made a UserError (which keeps the code) counts too.
 */
export function sqliteDiskProblem(err: unknown): string | null {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? CODES.find((c) => c.code.test(code))?.disk ?? null : null;
}

/** True for errors that better-sqlite3 throws (SqliteError), across module copies. */
function isSqliteError(err: unknown): err is Error & { code: string } {
  return err instanceof Error && err.name === 'SqliteError' && typeof (err as { code?: unknown }).code === 'string';
}

/**
 * `err` as a UserError when it is a SQLite failure the user can fix, else `err` unchanged.
 * @example catch (err) { throw databaseProblem(err, '/x/digits.sqlite') }
 */
export function databaseProblem(err: unknown, file: string): unknown {
  if (err instanceof TypeError && /directory does not exist/.test(err.message)) {
    return new UserError(`the tracking database ${file} cannot be created: its folder does not exist or is a file; point --db / DIGITS_DB at a path in an existing folder`);
  }
  if (!isSqliteError(err)) return err;
  const known = CODES.find((c) => c.code.test(err.code));
  // The code stays on the error: the runner's storage handling (storage.ts) recognises a full or read-only disk by it.
  return known ? Object.assign(new UserError(`the tracking database ${file} ${known.fix} (${err.code}: ${err.message})`), { code: err.code }) : err;
}

/**
 * Wraps every method of `target` so that a damaged database surfaces as a UserError at any query.
 * Done once, in the store's constructor, rather than in each method. (Opening converts every
 * failure the user can fix: see openStore and the store's constructor.)
 */
export function guardMethods<T extends object>(target: T, file: string, names: (keyof T)[]): void {
  for (const name of names) {
    const method = target[name];
    if (typeof method !== 'function') continue;
    (target as Record<keyof T, unknown>)[name] = function guarded(this: unknown, ...args: unknown[]) {
      try {
        return (method as (...a: unknown[]) => unknown).apply(target, args);
      } catch (err) {
        // Only a damaged file is converted here: a full or read-only disk mid-grid keeps its SqliteError,
        // which the runner's storage handling (storage.ts) turns into its one message and a clean stop.
        throw isSqliteError(err) && DAMAGED.test(err.code) ? databaseProblem(err, file) : err;
      }
    };
  }
}
