/**
 * The IDX file format of MNIST (big-endian header, then one byte per value), gzip-compressed or raw.
 * images: magic 2051, count, rows, cols, then count*rows*cols bytes.
 * labels: magic 2049, count, then count bytes.
 * Every problem with a file is a UserError that names the file, what was expected, what was found and
 * what to do.
 */
import fs from 'node:fs';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { UserError } from '../errors';

export const IMAGES_MAGIC = 2051;
export const LABELS_MAGIC = 2049;

/** What to do about a damaged file; callers that can re-download say so. */
export const DEFAULT_FIX = 'delete it so it is downloaded again, or replace it with an intact copy';

const gunzipAsync = promisify(zlib.gunzip);

/** How far past its known size a file may decompress before it is refused (see decompressIdx). */
const DECOMPRESS_SLACK = 64 * 1024;

export interface IdxImages {
  kind: 'images';
  count: number;
  rows: number;
  cols: number;
  data: Uint8Array; // count * rows * cols, row-major
}

export interface IdxLabels {
  kind: 'labels';
  count: number;
  data: Uint8Array; // count
}

export type IdxContent = IdxImages | IdxLabels;

/** Options for checking a decoded file; `file` names it in messages. */
export interface IdxCheck {
  file: string;
  rows?: number; // expected image height, default 28
  cols?: number; // expected image width, default 28
  fix?: string; // what the user should do about a damaged file
}

/** True when the bytes start with the gzip magic 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * The most bytes a gzip file of `uncompressed` bytes can take: incompressible data grows by about
 * 0.03% plus headers; anything larger is not that file.
 */
export function maxCompressedBytes(uncompressed: number): number {
  return uncompressed + Math.ceil(uncompressed / 100) + 1024;
}

/**
 * Uncompresses gzip bytes (on the libuv pool) or returns raw IDX bytes unchanged. With `maxBytes`
 * (the known size of the file), decompression stops as soon as the output passes it: a gzip bomb
 * costs a few milliseconds and that many bytes of memory, not gigabytes.
 */
export async function decompressIdx(bytes: Buffer, file: string, fix = DEFAULT_FIX, maxBytes?: number): Promise<Buffer> {
  if (!isGzip(bytes)) {
    const magic = bytes.length >= 4 ? bytes.readUInt32BE(0) : -1;
    if (magic === IMAGES_MAGIC || magic === LABELS_MAGIC) return bytes;
    throw new UserError(
      `${file}: not a gzip or IDX file: expected the bytes 1f 8b (gzip) or an IDX magic number, ` +
        `found ${describeStart(bytes)}${bytes[0] === 0x3c ? ' (an HTML page, e.g. a mirror\'s error page)' : ''}${tail(fix)}`,
    );
  }
  // A little slack past the known size, so a file a few bytes too long gets the precise message of
  // parseImages/parseLabels ("100 unexpected bytes after ...") instead of this one.
  const limit = maxBytes === undefined ? {} : { maxOutputLength: maxBytes + DECOMPRESS_SLACK };
  try {
    return await gunzipAsync(bytes, { chunkSize: Math.min(outputChunkSize(bytes), (maxBytes ?? Infinity) + DECOMPRESS_SLACK), ...limit });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new UserError(
        `${file}: decompresses to more than the ${maxBytes} bytes this file has (a damaged file, another data set, or a gzip bomb); ` +
          `stopped after ${(maxBytes ?? 0) + DECOMPRESS_SLACK} bytes${tail(fix)}`,
      );
    }
    throw new UserError(`${file}: corrupt gzip data (${(err as Error).message})${tail(fix)}`);
  }
}

/** Decodes an IDX images file (already uncompressed) and checks magic, dimensions and size. */
export function parseImages(raw: Uint8Array, check: IdxCheck): IdxImages {
  const { file, rows: wantRows = 28, cols: wantCols = 28, fix = DEFAULT_FIX } = check;
  const view = dataView(raw);
  expectMagic(view, IMAGES_MAGIC, file, fix);
  if (raw.length < 16) {
    throw new UserError(`${file}: truncated: an IDX images header is 16 bytes, found ${raw.length}${tail(fix)}`);
  }
  const count = view.getUint32(4);
  const rows = view.getUint32(8);
  const cols = view.getUint32(12);
  if (rows !== wantRows || cols !== wantCols) {
    throw new UserError(
      `${file}: wrong image size: expected ${wantRows}x${wantCols} images, found ${rows}x${cols} ` +
        `(not MNIST)${tail(fix)}`,
    );
  }
  const size = rows * cols;
  checkLength(raw.length - 16, count, size, 'images', file, fix);
  return { kind: 'images', count, rows, cols, data: raw.subarray(16, 16 + count * size) };
}

/** Decodes an IDX labels file (already uncompressed) and checks magic, size and values 0..9. */
export function parseLabels(raw: Uint8Array, check: IdxCheck): IdxLabels {
  const { file, fix = DEFAULT_FIX } = check;
  const view = dataView(raw);
  expectMagic(view, LABELS_MAGIC, file, fix);
  if (raw.length < 8) {
    throw new UserError(`${file}: truncated: an IDX labels header is 8 bytes, found ${raw.length}${tail(fix)}`);
  }
  const count = view.getUint32(4);
  checkLength(raw.length - 8, count, 1, 'labels', file, fix);
  const data = raw.subarray(8, 8 + count);
  for (let i = 0; i < count; i++) {
    if (data[i] > 9) {
      throw new UserError(
        `${file}: label ${data[i]} at index ${i} is out of range: digit labels are 0..9${tail(fix)}`,
      );
    }
  }
  return { kind: 'labels', count, data };
}

/**
 * Reads an IDX file (gzip or raw) of the given kind.
 * @example const test = await readIdx('t10k-labels-idx1-ubyte.gz', 'labels');
 */
export async function readIdx(path: string, kind: 'images', check?: Partial<IdxCheck>): Promise<IdxImages>;
export async function readIdx(path: string, kind: 'labels', check?: Partial<IdxCheck>): Promise<IdxLabels>;
export async function readIdx(path: string, kind: IdxContent['kind'], check?: Partial<IdxCheck>): Promise<IdxContent>;
export async function readIdx(path: string, kind: IdxContent['kind'], check: Partial<IdxCheck> = {}): Promise<IdxContent> {
  const full: IdxCheck = { ...check, file: check.file ?? path };
  const raw = await decompressIdx(await fs.promises.readFile(path), full.file, full.fix);
  return kind === 'images' ? parseImages(raw, full) : parseLabels(raw, full);
}

/** Encodes images or labels as IDX bytes (uncompressed). */
export function encodeIdx(content: IdxContent): Buffer {
  const header = content.kind === 'images' ? 16 : 8;
  const out = Buffer.alloc(header + content.data.length);
  if (content.kind === 'images') {
    out.writeUInt32BE(IMAGES_MAGIC, 0);
    out.writeUInt32BE(content.count, 4);
    out.writeUInt32BE(content.rows, 8);
    out.writeUInt32BE(content.cols, 12);
  } else {
    out.writeUInt32BE(LABELS_MAGIC, 0);
    out.writeUInt32BE(content.count, 4);
  }
  out.set(content.data, header);
  return out;
}

/**
 * Writes an IDX file, gzip-compressed when `gzip` is true; returns the uncompressed bytes written.
 * @example writeIdx('x.gz', { kind: 'labels', count: 2, data: Uint8Array.of(3, 7) }, { gzip: true });
 */
export function writeIdx(path: string, content: IdxContent, opts: { gzip?: boolean } = {}): Buffer {
  const raw = encodeIdx(content);
  fs.writeFileSync(path, opts.gzip ? zlib.gzipSync(raw) : raw);
  return raw;
}

/**
 * One output chunk as large as the uncompressed size the gzip trailer announces (ISIZE, last 4 bytes),
 * so zlib does not assemble 47 MB from thousands of 16 KB pieces (measured ~20% faster). Only a hint:
 * a wrong one costs speed, never correctness.
 */
function outputChunkSize(gz: Buffer): number {
  const announced = gz.length >= 18 ? gz.readUInt32LE(gz.length - 4) : 0;
  return Math.min(Math.max(announced + 1, 64 * 1024), 128 * 1024 * 1024);
}

function dataView(raw: Uint8Array): DataView {
  return new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
}

function expectMagic(view: DataView, want: number, file: string, fix: string): void {
  const wantKind = want === IMAGES_MAGIC ? 'images' : 'labels';
  if (view.byteLength < 4) {
    throw new UserError(`${file}: truncated: expected an IDX ${wantKind} file, found only ${view.byteLength} bytes${tail(fix)}`);
  }
  const magic = view.getUint32(0);
  if (magic === want) return;
  const found =
    magic === IMAGES_MAGIC || magic === LABELS_MAGIC
      ? `magic ${magic} (IDX ${magic === IMAGES_MAGIC ? 'images' : 'labels'}): is this the ${magic === IMAGES_MAGIC ? 'images' : 'labels'} file given in place of the ${wantKind} file?`
      : `magic ${magic} (0x${magic.toString(16).padStart(8, '0')}), not an IDX file`;
  throw new UserError(`${file}: wrong magic number: expected ${want} (IDX ${wantKind}), found ${found}${tail(fix)}`);
}

function checkLength(bodyBytes: number, count: number, itemSize: number, what: string, file: string, fix: string): void {
  const want = count * itemSize;
  if (bodyBytes < want) {
    throw new UserError(
      `${file}: truncated: header says ${count} ${what}, found ${Math.floor(bodyBytes / itemSize)} ` +
        `(${bodyBytes} of ${want} data bytes)${tail(fix)}`,
    );
  }
  if (bodyBytes > want) {
    throw new UserError(
      `${file}: wrong size: ${bodyBytes - want} unexpected bytes after the ${count} ${what} the header ` +
        `announces${tail(fix)}`,
    );
  }
}

function describeStart(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'an empty file';
  const head = bytes.subarray(0, 8);
  const hex = Array.from(head, (b) => b.toString(16).padStart(2, '0')).join(' ');
  const text = Array.from(head, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
  return `${hex} "${text}"`;
}

/** "; <fix>" or nothing when there is no advice (callers that add their own). */
function tail(fix: string): string {
  return fix ? `; ${fix}` : '';
}
