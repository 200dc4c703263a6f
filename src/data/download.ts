/**
 * Downloads missing MNIST files: mirrors are tried in order; each file is streamed to a temporary
 * file in the target folder, verified (structure, size, MD5 of the uncompressed bytes) and only then
 * renamed into place, so a half-downloaded or wrong file never sits under the real name.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { fetchToFile } from './fetch';
import { ChecksumTable, MNIST_CHECKSUMS, MNIST_FILES, MnistFile, MnistPart } from './files';
import { isGzip, maxCompressedBytes } from './idx';
import { DATA_DIR_ENV, userCacheRoot } from './locate';
import { VerifiedStamps } from './stamp';
import { readVerified } from './verify';
import { makeFolders } from '../files';

export const MIRRORS_ENV = 'DIGITS_MNIST_MIRRORS';

/** The usual public MNIST mirrors, tried in this order. */
export const DEFAULT_MIRRORS: readonly string[] = [
  'https://ossci-datasets.s3.amazonaws.com/mnist/',
  'https://storage.googleapis.com/cvdf-datasets/mnist/',
  'http://yann.lecun.com/exdb/mnist/',
];

export interface DownloadProgress {
  file: string; // e.g. "train-images-idx3-ubyte.gz"
  mirror: string; // base URL being tried
  received: number; // bytes so far
  total: number | null; // from Content-Length, when the server sends it
}

export interface DownloadOptions {
  mirrors?: string[]; // base URLs; default $DIGITS_MNIST_MIRRORS (comma-separated) or DEFAULT_MIRRORS
  checksums?: ChecksumTable; // default MNIST_CHECKSUMS
  requestTimeoutMs?: number; // until response headers arrive, default 30 s
  stallTimeoutMs?: number; // longest gap between data chunks, default 30 s
  onProgress?: (p: DownloadProgress) => void;
  stampFile?: string | null; // where verified files are remembered; null = nowhere
}

/** The mirror list in effect: explicit > $DIGITS_MNIST_MIRRORS > DEFAULT_MIRRORS, each checked. */
export function mirrorList(explicit?: string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = env[MIRRORS_ENV]?.split(',').map((s) => s.trim()).filter(Boolean);
  const source = explicit ? 'the mirrors option' : fromEnv?.length ? MIRRORS_ENV : null;
  const list = explicit ?? (fromEnv?.length ? fromEnv : [...DEFAULT_MIRRORS]);
  if (list.length === 0) throw new UserError('The MNIST mirror list is empty: give at least one base URL.');
  return list.map((base) => {
    let url: URL;
    try {
      url = new URL(base);
    } catch {
      throw new UserError(`${source}: "${base}" is not a URL: give base URLs like https://host/mnist/, comma-separated.`);
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UserError(`${source}: "${base}" must be an http or https URL.`);
    }
    return base.endsWith('/') ? base : `${base}/`;
  });
}

/** The default place of the verification stamp: <cache root>/verified.json. */
export function defaultStampFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(userCacheRoot(env), 'verified.json');
}

/**
 * Downloads the given MNIST files (default: all four) into `dir`, skipping none: call it for the
 * missing ones. Resolves with the final paths; throws a UserError listing every mirror's failure.
 * @example await downloadMnist('/data/mnist', { parts: ['testImages', 'testLabels'] });
 */
export async function downloadMnist(dir: string, opts: DownloadOptions & { parts?: MnistPart[] } = {}): Promise<string[]> {
  const mirrors = mirrorList(opts.mirrors);
  const files = MNIST_FILES.filter((f) => !opts.parts || opts.parts.includes(f.part));
  makeDir(dir);
  const stamps = new VerifiedStamps(opts.stampFile === undefined ? defaultStampFile() : opts.stampFile);
  const paths: string[] = [];
  try {
    for (const file of files) paths.push(await downloadFile(dir, file, mirrors, stamps, opts));
  } finally {
    stamps.save();
  }
  return paths;
}

async function downloadFile(
  dir: string,
  file: MnistFile,
  mirrors: string[],
  stamps: VerifiedStamps,
  opts: DownloadOptions,
): Promise<string> {
  const checksum = (opts.checksums ?? MNIST_CHECKSUMS)[file.part];
  const remote = `${file.name}.gz`;
  const failures: string[] = [];
  for (const mirror of mirrors) {
    const url = mirror + remote;
    const tmp = path.join(dir, `.${remote}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.part`);
    try {
      await fetchToFile(url, tmp, {
        requestTimeoutMs: opts.requestTimeoutMs ?? 30_000,
        stallTimeoutMs: opts.stallTimeoutMs ?? 30_000,
        maxBytes: maxCompressedBytes(checksum.bytes),
        onBytes: (received, total) => opts.onProgress?.({ file: remote, mirror, received, total }),
      });
      await readVerified(tmp, file, checksum, new VerifiedStamps(null), { label: 'verification failed', fix: '' });
      const final = path.join(dir, isGzip(readHead(tmp)) ? remote : file.name);
      fs.renameSync(tmp, final);
      stamps.add(final, fs.statSync(final), checksum.md5);
      return final;
    } catch (err) {
      failures.push(`${url}: ${(err as Error).message}`);
    } finally {
      fs.rmSync(tmp, { force: true });
    }
  }
  throw new UserError(
    `Could not download ${remote} into ${dir}: every mirror failed:\n` +
      failures.map((f) => `  - ${f}`).join('\n') +
      `\nTo place the files by hand, copy ${MNIST_FILES.map((f) => `${f.name}.gz`).join(', ')} ` +
      `(from any MNIST mirror) into ${dir}, or point --data-dir or ${DATA_DIR_ENV} at a folder that has them; ` +
      `to try other mirrors set ${MIRRORS_ENV}=<base URL>,<base URL>.`,
  );
}

function makeDir(dir: string): void {
  try {
    makeFolders(dir);
  } catch (err) {
    throw new UserError(
      `Cannot create the MNIST folder ${dir} (${(err as NodeJS.ErrnoException).code}): choose a writable ` +
        `folder with --data-dir or ${DATA_DIR_ENV}.`,
    );
  }
}

function readHead(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(2);
    fs.readSync(fd, head, 0, 2, 0);
    return head;
  } finally {
    fs.closeSync(fd);
  }
}
