/**
 * Reading one MNIST file the safe way: decompress, check the IDX structure, the uncompressed size
 * and the MD5 of the uncompressed bytes (skipped when the stamp says this very file passed before).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { UserError } from '../errors';
import type { Checksum, MnistFile } from './files';
import { DEFAULT_FIX, decompressIdx, IdxContent, maxCompressedBytes, parseImages, parseLabels } from './idx';
import type { VerifiedStamps } from './stamp';

/** Hex MD5 of some bytes. */
export function md5Hex(bytes: Uint8Array): string {
  return crypto.createHash('md5').update(bytes).digest('hex');
}

/**
 * Decodes `filePath` as the MNIST file `file` and checks it against `checksum`.
 * Throws a UserError starting with `label` (default: the path) and ending with `fix`;
 * records success in `stamps`.
 */
export async function readVerified(
  filePath: string,
  file: MnistFile,
  checksum: Checksum,
  stamps: VerifiedStamps,
  messages: { label?: string; fix?: string } = {},
): Promise<IdxContent> {
  const { label = filePath, fix = DEFAULT_FIX } = messages;
  const stat = await statReadable(filePath, label);
  // Sizes are known: a file larger than the gzip of the expected bytes is refused before it is read,
  // and decompression stops at the expected size.
  if (stat.size > maxCompressedBytes(checksum.bytes)) {
    throw new UserError(`${label}: wrong size: ${stat.size} bytes, more than the ${checksum.bytes} this file has uncompressed${fix ? `; ${fix}` : ''}`);
  }
  const raw = await decompressIdx(await readReadable(filePath, label), label, fix, checksum.bytes);
  const check = { file: label, fix };
  const content = file.kind === 'images' ? parseImages(raw, check) : parseLabels(raw, check);
  checkUncompressed(raw, filePath, checksum, stat, stamps, { label, fix });
  return content;
}

/** fs.promises.stat, with a permission problem as one line that names the file and the fix. */
async function statReadable(filePath: string, label: string): Promise<fs.Stats> {
  try {
    return await fs.promises.stat(filePath);
  } catch (err) {
    throw unreadable(err, filePath, label);
  }
}

async function readReadable(filePath: string, label: string): Promise<Buffer> {
  try {
    return await fs.promises.readFile(filePath);
  } catch (err) {
    throw unreadable(err, filePath, label);
  }
}

/** EACCES/EPERM/EISDIR/EIO as a UserError; anything else unchanged (a bug keeps its stack). */
export function unreadable(err: unknown, filePath: string, label = filePath): Error {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') {
    return new UserError(`${label}: cannot be read: permission denied (${code}); let this user read it (chmod a+r ${filePath}) or point --data-dir or DIGITS_DATA_DIR at a readable copy`);
  }
  if (code === 'EIO' || code === 'EISDIR') {
    return new UserError(`${label}: cannot be read (${code}); replace it with an intact copy`);
  }
  return err as Error;
}

/** Checks size and MD5 of uncompressed bytes (MD5 skipped when stamped) and stamps a pass. */
export function checkUncompressed(
  raw: Uint8Array,
  filePath: string,
  checksum: Checksum,
  stat: fs.Stats,
  stamps: VerifiedStamps,
  messages: { label?: string; fix?: string } = {},
): void {
  const { label = filePath, fix = DEFAULT_FIX } = messages;
  const tail = fix ? `; ${fix}` : '';
  if (raw.length !== checksum.bytes) {
    throw new UserError(
      `${label}: wrong size: expected ${checksum.bytes} bytes once uncompressed, found ${raw.length}${tail}`,
    );
  }
  if (stamps.has(filePath, stat, checksum.md5)) return;
  const md5 = md5Hex(raw);
  if (md5 !== checksum.md5) {
    throw new UserError(
      `${label}: checksum mismatch: expected MD5 ${checksum.md5} of the uncompressed bytes, ` +
        `found ${md5}${tail}`,
    );
  }
  stamps.add(filePath, stat, checksum.md5);
}
