/**
 * Reading one MNIST file the safe way: decompress, check the IDX structure, the uncompressed size
 * and the MD5 of the uncompressed bytes (skipped when the stamp says this very file passed before).
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import { UserError } from '../errors';
import type { Checksum, MnistFile } from './files';
import { DEFAULT_FIX, decompressIdx, IdxContent, parseImages, parseLabels } from './idx';
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
  const stat = await fs.promises.stat(filePath);
  const raw = await decompressIdx(await fs.promises.readFile(filePath), label, fix);
  const check = { file: label, fix };
  const content = file.kind === 'images' ? parseImages(raw, check) : parseLabels(raw, check);
  checkUncompressed(raw, filePath, checksum, stat, stamps, { label, fix });
  return content;
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
