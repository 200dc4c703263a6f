/**
 * Storage failures: the disk under the database or the run folders is full, read-only, failing or
 * not writable by this user.
 * They are not bugs and not the trial's fault: a grid stops on the first one with one line that
 * names it. A small reserve file beside the database keeps room for the writes that record where
 * the grid stopped (its runs interrupted, not left `running`) when the disk fills up.
 */
import fs from 'node:fs';

const SQLITE_PROBLEMS: [RegExp, string][] = [
  [/^SQLITE_FULL/, 'the disk is full'],
  [/^SQLITE_READONLY/, 'the database is read-only'],
  [/^SQLITE_IOERR/, 'a disk I/O error'],
  [/^SQLITE_CANTOPEN/, 'the database file cannot be opened'],
];
const ERRNO_PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EROFS: 'the file system is read-only',
  EIO: 'a disk I/O error',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/** What went wrong with the storage ("the disk is full (SQLITE_FULL)"), or null for any other error. */
export function storageProblem(err: unknown): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  for (const [pattern, text] of SQLITE_PROBLEMS) if (pattern.test(code)) return `${text} (${code})`;
  return code in ERRNO_PROBLEMS ? `${ERRNO_PROBLEMS[code]} (${code})` : null;
}

/** Bytes kept free beside the database for recording a grid's end on a full disk. */
export const RESERVE_BYTES = 1024 * 1024;

/** `<database>.reserve`. */
export function reserveFile(dbFile: string): string {
  return `${dbFile}.reserve`;
}

/** Makes sure the reserve exists (written, so its blocks are allocated); throws what the file system throws. */
export function holdReserve(dbFile: string): void {
  const file = reserveFile(dbFile);
  if (fs.statSync(file, { throwIfNoEntry: false })?.size === RESERVE_BYTES) return;
  try {
    fs.writeFileSync(file, Buffer.alloc(RESERVE_BYTES));
  } catch (err) {
    fs.rmSync(file, { force: true });
    throw err;
  }
}

/** Frees the reserve for the last writes; the next grid makes it again. */
export function releaseReserve(dbFile: string): void {
  fs.rmSync(reserveFile(dbFile), { force: true });
}
