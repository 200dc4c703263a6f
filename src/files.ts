/** Writing files so that a reader never sees half of one: the one owner of that rule. */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `data` to `file` whole or not at all: a temporary file in the same folder, then a rename
 * over the target (atomic on one file system). A failed write (a full disk, a read-only folder)
 * leaves the previous file, no partial one and no `.tmp`, and rethrows the error for the caller to
 * word. Creates the folder when `makeFolder` is set.
 * A symbolic link is followed (its target is replaced; the link stays), and a target that is not a
 * regular file or folder (a device such as /dev/null or /dev/stdout, a named pipe) is written
 * straight into, never replaced by a file.
 * @example writeFileAtomic('runs/ab12/metrics.json', JSON.stringify(metrics))
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: { makeFolder?: boolean } = {}): void {
  const target = followLinks(file);
  const existing = fs.statSync(target, { throwIfNoEntry: false });
  if (existing && !existing.isFile() && !existing.isDirectory()) return fs.writeFileSync(target, data);
  if (options.makeFolder) makeFolders(path.dirname(target));
  const tmp = path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, target);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** The path a chain of symbolic links ends at (which may not exist yet); `file` itself when it is no link. */
function followLinks(file: string): string {
  let current = path.resolve(file);
  for (let hops = 0; hops < 40; hops++) {
    const stat = fs.lstatSync(current, { throwIfNoEntry: false });
    if (!stat?.isSymbolicLink()) return current;
    current = path.resolve(path.dirname(current), fs.readlinkSync(current));
  }
  throw Object.assign(new Error(`too many symbolic links: ${file}`), { code: 'ELOOP' });
}

/**
 * Creates `dir` and any missing parents, one level at a time. Node's own recursive mkdir never
 * returns on some paths (under /proc it retries the parent forever); this one fails with the
 * file system's error (ENOENT, EACCES, ENOTDIR, ...) for the caller to word.
 */
export function makeFolders(dir: string): void {
  const missing: string[] = [];
  for (let current = path.resolve(dir); !fs.existsSync(current); current = path.dirname(current)) {
    missing.push(current);
    if (path.dirname(current) === current) break;
  }
  for (const folder of missing.reverse()) {
    try {
      fs.mkdirSync(folder);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
  }
}
