/**
 * Which database owns a run folder: tracking.json in the folder names it by a path relative to the
 * folder. `digits rm` deletes a folder only when it belongs to the database it was run on, so rm on a
 * copied database (whose rows name the same run folders) can never delete the original's folders,
 * while a copied project folder (database and runs copied together) owns its own copies.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files';

const OWNER_FILE = 'tracking.json';

interface OwnerRecord {
  runId: string;
  database: string; // relative to the run folder
}

function readOwner(dir: string): OwnerRecord | null {
  try {
    const value = JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
    return typeof value?.runId === 'string' && typeof value?.database === 'string' ? value : null;
  } catch {
    return null;
  }
}

/** True when both paths name the same existing file (hard links and symbolic links included). */
function sameFile(a: string, b: string): boolean {
  try {
    const sa = fs.statSync(a);
    const sb = fs.statSync(b);
    return sa.dev === sb.dev && sa.ino === sb.ino;
  } catch {
    return false;
  }
}

/** The database file a run folder's tracking.json names (absolute), or null. */
export function runFolderOwner(dir: string): string | null {
  const owner = readOwner(dir);
  return owner ? path.resolve(dir, owner.database) : null;
}

/** True when tracking.json says run `runId` of database `dbFile` owns the folder. */
export function isOwnedBy(dir: string, runId: string, dbFile: string): boolean {
  const owner = readOwner(dir);
  return owner !== null && owner.runId === runId && sameFile(path.resolve(dir, owner.database), dbFile);
}

/**
 * Records that run `runId` of `dbFile` owns the folder, unless another existing database already
 * does (a copied database resuming a run must not take the original's folder).
 */
export function claimRunFolder(dir: string, runId: string, dbFile: string): void {
  const current = runFolderOwner(dir);
  if (current !== null && fs.existsSync(current) && !sameFile(current, dbFile)) return;
  const record: OwnerRecord = { runId, database: path.relative(dir, path.resolve(dbFile)) };
  const file = path.join(dir, OWNER_FILE);
  writeFileAtomic(file, JSON.stringify(record, null, 2) + '\n');
}
