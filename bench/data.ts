/**
 * How long loading the full MNIST takes: cold (no verification stamp: gunzip + structure + MD5)
 * and warm (stamp present: gunzip + structure only), plus the raw gunzip and MD5 costs.
 * Data: $DIGITS_DATA_DIR or ../shared/datasets/mnist. Writes bench/results/data.json.
 *   npm run bench:data
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { MNIST_FILES } from '../src/data/files';
import { findMnistFile } from '../src/data/locate';
import { loadMnist } from '../src/data/mnist';
import { md5Hex } from '../src/data/verify';

const REPEATS = 5;

async function timed<T>(fn: () => Promise<T> | T): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main(): Promise<void> {
  const dataDir = process.env.DIGITS_DATA_DIR ?? path.resolve(__dirname, '../../shared/datasets/mnist');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-bench-data-'));
  const stampFile = path.join(tmp, 'verified.json');
  const cold: number[] = [];
  const warm: number[] = [];
  try {
    for (let i = 0; i < REPEATS; i++) {
      fs.rmSync(stampFile, { force: true });
      cold.push(await timed(() => loadMnist({ dataDir, stampFile, download: false })));
      warm.push(await timed(() => loadMnist({ dataDir, stampFile, download: false })));
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  const gz = MNIST_FILES.map((f) => fs.readFileSync(findMnistFile(dataDir, f) as string));
  const raw = gz.map((b) => zlib.gunzipSync(b));
  const gunzipMs = await timed(() => gz.forEach((b) => zlib.gunzipSync(b)));
  const md5Ms = await timed(() => raw.forEach((b) => md5Hex(b)));
  const result = {
    dataDir,
    repeats: REPEATS,
    coldMs: { median: median(cold), all: cold },
    warmMs: { median: median(warm), all: warm },
    gunzipSyncAllMs: gunzipMs,
    md5AllMs: md5Ms,
    cpus: os.cpus().length,
    loadavg: os.loadavg(),
    node: process.version,
    date: new Date().toISOString(),
  };
  console.log(`MNIST load from ${dataDir}`);
  console.log(`  cold (verify MD5): median ${result.coldMs.median.toFixed(0)} ms  [${cold.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`  warm (stamped):    median ${result.warmMs.median.toFixed(0)} ms  [${warm.map((x) => x.toFixed(0)).join(', ')}]`);
  console.log(`  parts: gunzip of the 4 files ${gunzipMs.toFixed(0)} ms (sync, one thread), MD5 ${md5Ms.toFixed(0)} ms`);
  const out = path.resolve(__dirname, 'results/data.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, JSON.stringify(result, null, 2));
  console.log(`  wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
