/**
 * loadMnist: locate the four MNIST files, download the missing ones, verify and decode them.
 * The four files are decompressed in parallel on the libuv pool; the MD5 check is skipped for files
 * the verification stamp already vouches for (same path, size, mtime and expected checksum).
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors';
import { defaultStampFile, downloadMnist, DownloadOptions } from './download';
import { ChecksumTable, MNIST_CHECKSUMS, MNIST_FILES, MnistFile } from './files';
import { IdxImages, IdxLabels } from './idx';
import { DATA_DIR_ENV, findMnistFile, resolveDataDir } from './locate';
import { VerifiedStamps } from './stamp';
import type { DigitSet, Mnist } from './types';
import { readVerified } from './verify';

export interface LoadMnistOptions extends DownloadOptions {
  dataDir?: string; // default: $DIGITS_DATA_DIR, else <cache root>/mnist (see resolveDataDir)
  download?: boolean; // fetch missing files from the mirrors; default true
}

/**
 * Loads the full MNIST (60,000 training and 10,000 test images), verified.
 * @example const { train, test } = await loadMnist({ dataDir: '../shared/datasets/mnist' });
 */
export async function loadMnist(opts: LoadMnistOptions = {}): Promise<Mnist> {
  const { dir } = resolveDataDir(opts.dataDir);
  const missing = MNIST_FILES.filter((f) => findMnistFile(dir, f) === null);
  if (missing.length > 0) {
    if (opts.download === false) throw missingFilesError(dir, missing);
    await downloadMnist(dir, { ...opts, parts: missing.map((f) => f.part) });
  }
  const stamps = new VerifiedStamps(opts.stampFile === undefined ? defaultStampFile() : opts.stampFile);
  const checksums = opts.checksums ?? MNIST_CHECKSUMS;
  const paths = MNIST_FILES.map((f) => findMnistFile(dir, f) as string);
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all(
    MNIST_FILES.map((f, i) => readVerified(paths[i], f, checksums[f.part], stamps)),
  );
  stamps.save();
  return {
    train: pairDigits(trainImages as IdxImages, trainLabels as IdxLabels, [paths[0], paths[1]]),
    test: pairDigits(testImages as IdxImages, testLabels as IdxLabels, [paths[2], paths[3]]),
    dataDir: dir,
    dataHash: mnistDataHash(checksums),
  };
}

/**
 * The data set's identity for provenance: 16 hex digits of the SHA-256 of the four files' MD5s (of
 * the uncompressed bytes, each file verified against its MD5 before use), in file order.
 * @example mnistDataHash(MNIST_CHECKSUMS) // the same for every copy of the standard MNIST
 */
export function mnistDataHash(checksums: ChecksumTable): string {
  const lines = MNIST_FILES.map((f) => `${f.name} ${checksums[f.part].md5}\n`).join('');
  return createHash('sha256').update(lines).digest('hex').slice(0, 16);
}

/** Joins an images file and its labels file (named in `files` for messages) into a DigitSet. */
export function pairDigits(images: IdxImages, labels: IdxLabels, files: [string, string]): DigitSet {
  if (images.count !== labels.count) {
    throw new UserError(
      `${files[0]}: count mismatch: it has ${images.count} images but ${files[1]} has ${labels.count} ` +
        `labels; one of them is damaged or from another data set: replace both with intact copies.`,
    );
  }
  return { images: images.data, labels: labels.data, count: images.count, rows: images.rows, cols: images.cols };
}

function missingFilesError(dir: string, missing: MnistFile[]): UserError {
  return new UserError(
    `MNIST is incomplete in ${dir}: missing ${missing.map((f) => `${f.name}.gz`).join(', ')}. ` +
      `Load with download enabled (the default) to fetch them, copy them there by hand, or point --data-dir or ${DATA_DIR_ENV} at a folder that has them.`,
  );
}
