/**
 * Storage failures: the disk under the database or the run folders is full, read-only, failing or
 * not writable by this user.
 * They are not bugs and not the trial's fault: a grid stops on the first one with one line that
 * names it. A small reserve file beside the database keeps room for the writes that record where
 * the grid stopped (its runs interrupted, not left `running`) when the disk fills up.
 */
import fs from 'node:fs';
import { fileCodeProblem } from '../errors';
import { sqliteDiskProblem } from './db-errors';

/** What went wrong with the storage ("the disk is full (SQLITE_FULL)"), or null for any other error. */
export function storageProblem(err: unknown): string | null {
  const problem = sqliteDiskProblem(err) ?? fileCodeProblem(err, 'disk');
  return problem === null ? null : `${problem} (${(err as { code: string }).code})`;
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
