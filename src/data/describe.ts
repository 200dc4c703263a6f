/**
 * describeData: where MNIST is looked for and the state of each file, for `digits info`.
 * Verifies present files (fast when the stamp vouches for them); never downloads, never throws for
 * a bad file: problems are reported as text.
 */
import fs from 'node:fs';
import { isUserError } from '../errors';
import { defaultStampFile } from './download';
import { ChecksumTable, MNIST_CHECKSUMS, MNIST_FILES, MnistPart } from './files';
import { DataDirSource, findMnistFile, resolveDataDir } from './locate';
import { VerifiedStamps } from './stamp';
import { readVerified } from './verify';

export interface DataFileStatus {
  part: MnistPart;
  name: string; // expected file name, e.g. "t10k-images-idx3-ubyte.gz"
  path: string | null; // where it was found
  bytes: number | null; // size on disk
  status: 'verified' | 'missing' | 'invalid';
  problem?: string; // for 'invalid': the same message loadMnist would throw
}

export interface DataReport {
  dataDir: string;
  source: DataDirSource; // which rule chose the folder: --data-dir, $DIGITS_DATA_DIR or the cache
  files: DataFileStatus[];
  ready: boolean; // all four verified
}

/**
 * Reports where MNIST is and whether each file is present and verified.
 * @example (await describeData()).files.filter((f) => f.status !== 'verified')
 */
export async function describeData(
  dataDir?: string,
  opts: { checksums?: ChecksumTable; stampFile?: string | null } = {},
): Promise<DataReport> {
  const { dir, source } = resolveDataDir(dataDir);
  const stamps = new VerifiedStamps(opts.stampFile === undefined ? defaultStampFile() : opts.stampFile);
  const checksums = opts.checksums ?? MNIST_CHECKSUMS;
  const files: DataFileStatus[] = [];
  for (const file of MNIST_FILES) {
    const found = findMnistFile(dir, file);
    const entry: DataFileStatus = { part: file.part, name: `${file.name}.gz`, path: found, bytes: null, status: 'missing' };
    if (found) {
      entry.bytes = fs.statSync(found).size;
      try {
        await readVerified(found, file, checksums[file.part], stamps);
        entry.status = 'verified';
      } catch (err) {
        if (!isUserError(err)) throw err;
        entry.status = 'invalid';
        entry.problem = err.message;
      }
    }
    files.push(entry);
  }
  stamps.save();
  return { dataDir: dir, source, files, ready: files.every((f) => f.status === 'verified') };
}

const SOURCE_TEXT: Record<DataDirSource, string> = {
  option: 'from --data-dir',
  env: 'from DIGITS_DATA_DIR',
  cache: 'the per-user cache; set DIGITS_DATA_DIR or --data-dir to use another folder',
};

/**
 * The report as a few lines of text for `digits info` (the CLI prints it).
 * @example process.stdout.write(formatDataReport(await describeData(argv.dataDir)) + '\n');
 */
export function formatDataReport(report: DataReport): string {
  const width = Math.max(...report.files.map((f) => f.name.length));
  const lines = [`MNIST data: ${report.dataDir} (${SOURCE_TEXT[report.source]})`];
  for (const f of report.files) {
    const size = f.bytes === null ? '' : ` ${humanBytes(f.bytes)}`;
    const state = f.status === 'invalid' ? `INVALID: ${f.problem}` : f.status;
    lines.push(`  ${f.name.padEnd(width)}${size.padStart(9)}  ${state}`);
  }
  if (!report.ready && report.files.some((f) => f.status === 'missing')) {
    lines.push('  missing files are downloaded on first use (mirrors: DIGITS_MNIST_MIRRORS)');
  }
  return lines.join('\n');
}

function humanBytes(n: number): string {
  if (n < 1e3) return `${n} B`;
  return n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`;
}
