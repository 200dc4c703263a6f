/** Writing files so that a reader never sees half of one: the one owner of that rule. */
import fs from 'node:fs';
import path from 'node:path';

/**
 * Writes `data` to `file` whole or not at all: a temporary file in the same folder, then a rename
 * over the target (atomic on one file system). A failed write (a full disk, a read-only folder)
 * leaves the previous file, no partial one and no `.tmp`, and rethrows the error for the caller to
 * word. Creates the folder when `makeFolder` is set.
 * @example writeFileAtomic('runs/ab12/metrics.json', JSON.stringify(metrics))
 */
export function writeFileAtomic(file: string, data: string | Uint8Array, options: { makeFolder?: boolean } = {}): void {
  if (options.makeFolder) fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  try {
    fs.writeFileSync(tmp, data);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}
