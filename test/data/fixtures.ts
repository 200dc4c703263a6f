/** Small synthetic MNIST-shaped IDX files for tests, with their checksum table. */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { ChecksumTable, MNIST_FILES, MnistPart } from '../../src/data/files';
import { encodeIdx, IdxImages, IdxLabels } from '../../src/data/idx';
import { md5Hex } from '../../src/data/verify';

/** `count` 28x28 images where image i has a bright 4x4 square at a spot depending on i, label i % 10. */
export function syntheticDigits(count: number): { images: IdxImages; labels: IdxLabels } {
  const data = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) {
    const top = 4 + ((i * 3) % 18);
    const left = 6 + ((i * 5) % 16);
    for (let r = top; r < top + 4; r++) for (let c = left; c < left + 4; c++) data[i * 784 + r * 28 + c] = 200 + i;
  }
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  return {
    images: { kind: 'images', count, rows: 28, cols: 28, data },
    labels: { kind: 'labels', count, data: labels },
  };
}

/** Uncompressed bytes of a tiny MNIST: 6 training and 4 test digits, keyed by part. */
export function tinyMnistBytes(): Record<MnistPart, Buffer> {
  const train = syntheticDigits(6);
  const test = syntheticDigits(4);
  return {
    trainImages: encodeIdx(train.images),
    trainLabels: encodeIdx(train.labels),
    testImages: encodeIdx(test.images),
    testLabels: encodeIdx(test.labels),
  };
}

/** The checksum table matching some uncompressed bytes. */
export function checksumsOf(raw: Record<MnistPart, Buffer>): ChecksumTable {
  const table = {} as ChecksumTable;
  for (const part of Object.keys(raw) as MnistPart[]) table[part] = { md5: md5Hex(raw[part]), bytes: raw[part].length };
  return table;
}

/** Writes the four files as `<name>.gz` into `dir`. */
export function writeTinyMnist(dir: string, raw: Record<MnistPart, Buffer>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of MNIST_FILES) fs.writeFileSync(path.join(dir, `${f.name}.gz`), zlib.gzipSync(raw[f.part]));
}

/** 256 gzip members of 16 MiB of zeros each: 4 GiB once uncompressed, 4 MB on disk. Built once. */
let bomb: Buffer | undefined;
export function gzipBomb(): Buffer {
  bomb ??= Buffer.concat(new Array(256).fill(zlib.gzipSync(Buffer.alloc(16 * 1024 * 1024), { level: 9 })));
  return bomb;
}
