/**
 * Reading an image file from disk for prediction, with limits: only regular files (a device such
 * as /dev/zero never ends, a FIFO blocks until someone writes) and at most a fixed number of bytes.
 */
import fs from 'node:fs';
import { fileCodeProblem, UserError } from '../errors';

/** Largest image file `digits predict` reads: 64 MB (a 24-megapixel PNG of a photo fits). */
export const MAX_IMAGE_FILE_BYTES = 64 * 1024 * 1024;

/**
 * The bytes of an image file. Refuses, with a message that names the file and the fix, what does
 * not exist, is not a regular file (folder, device, FIFO, socket), cannot be read or is larger than
 * `maxBytes`; never reads more than `maxBytes` + 1 bytes, even if the file grows meanwhile.
 * @example const bytes = readImageFile('seven.png');
 */
export function readImageFile(file: string, maxBytes = MAX_IMAGE_FILE_BYTES): Buffer {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file); // stat never blocks, unlike opening a FIFO
  } catch (err) {
    throw new UserError(`${file}: ${describeError(err)}; check the path`);
  }
  if (!stat.isFile()) throw new UserError(`${file}: ${kindOf(stat)}, not an image file; give the path of a PNG, JPEG, WebP, GIF or TIFF file`);
  if (stat.size > maxBytes) throw new UserError(`${file}: ${megabytes(stat.size)} is over the ${megabytes(maxBytes)} limit for an image; scale it down (a digit needs a few hundred pixels a side)`);
  let fd: number;
  try {
    // O_NONBLOCK: if the path was swapped for a FIFO since the stat, opening does not hang.
    fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    throw new UserError(`${file}: ${describeError(err)}; check the path and its permissions`);
  }
  try {
    if (!fs.fstatSync(fd).isFile()) throw new UserError(`${file}: not a regular file; give the path of an image file`);
    const buffer = Buffer.alloc(Math.min(stat.size, maxBytes) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) {
        if (length > maxBytes) throw new UserError(`${file}: over the ${megabytes(maxBytes)} limit for an image (it grew while being read); scale it down`);
        break; // exactly the size stat gave; the next read would be past the end
      }
    }
    return buffer.subarray(0, length);
  } catch (err) {
    if (err instanceof UserError) throw err;
    throw new UserError(`${file}: cannot be read (${describeError(err)}); check the file`);
  } finally {
    fs.closeSync(fd);
  }
}

function kindOf(stat: fs.Stats): string {
  if (stat.isDirectory()) return 'is a folder (predict on a folder with `digits predict <folder>`)';
  if (stat.isFIFO()) return 'is a named pipe (FIFO)';
  if (stat.isCharacterDevice()) return 'is a character device';
  if (stat.isBlockDevice()) return 'is a block device';
  if (stat.isSocket()) return 'is a socket';
  return 'is not a regular file';
}

function describeError(err: unknown): string {
  return fileCodeProblem(err) ?? (err as NodeJS.ErrnoException).code ?? (err instanceof Error ? err.message : String(err));
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes < 10 * 1024 * 1024 ? 1 : 0)} MB`;
}
