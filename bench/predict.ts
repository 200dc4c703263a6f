/**
 * `digits predict` on a folder: BENCH_FILES (2,000) MNIST test digits are written as PNG files
 * (dark on white at 140x140, like scans), then `digits predict <folder> --format jsonl` runs as
 * users run it (its own process, start-up included) and its images/s and accuracy are reported.
 * The model is the reference CNN of the default spec (untrained: the same cost per image; accuracy
 * then means nothing), or a run given as BENCH_RUNS_DIR + BENCH_RUN. Writes bench/results/predict.json.
 *   npm run build && npm run bench:predict
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { selectBackend } from '../src/engine';
import { referenceRun } from './reference-run';

const ROOT = path.resolve(__dirname, '..');
const FILES = Number(process.env.BENCH_FILES ?? 2000);
const SIDE = Number(process.env.BENCH_SIDE ?? 140);
const MNIST = process.env.DIGITS_DATA_DIR ?? path.resolve(ROOT, '..', 'shared', 'datasets', 'mnist');

async function main(): Promise<void> {
  await selectBackend();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-predict-'));
  try {
    let runsDir = process.env.BENCH_RUNS_DIR, run = process.env.BENCH_RUN;
    if (!runsDir || !run) {
      runsDir = path.join(temp, 'runs');
      run = await referenceRun(runsDir);
    }
    const images = zlib.gunzipSync(fs.readFileSync(path.join(MNIST, 't10k-images-idx3-ubyte.gz'))).subarray(16);
    const labels = zlib.gunzipSync(fs.readFileSync(path.join(MNIST, 't10k-labels-idx1-ubyte.gz'))).subarray(8);
    const folder = path.join(temp, 'scans');
    fs.mkdirSync(folder);
    for (let i = 0; i < FILES; i++) {
      const ink = Buffer.from(images.subarray(i * 784, (i + 1) * 784).map((v) => 255 - v));
      const png = await sharp(ink, { raw: { width: 28, height: 28, channels: 1 } }).resize(SIDE, SIDE, { kernel: 'cubic' }).png().toBuffer();
      fs.writeFileSync(path.join(folder, `${String(i).padStart(5, '0')}.png`), png);
    }
    const started = performance.now();
    // GNU time reports the child's CPU seconds: on a shared machine the wall time mostly measures the others.
    const args = [path.join(ROOT, 'bin', 'digits.js'), 'predict', folder, '--format', 'jsonl', '--runs-dir', runsDir, '--run', run];
    const timed = fs.existsSync('/usr/bin/time');
    const r = timed
      ? spawnSync('/usr/bin/time', ['-f', 'cpu %U %S', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, DIGITS_DB: '' } })
      : spawnSync(process.execPath, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, DIGITS_DB: '' } });
    const seconds = (performance.now() - started) / 1000;
    if (r.status !== 0) throw new Error(`digits predict exited ${r.status}: ${r.stderr}`);
    const cpu = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
    const cpuSeconds = cpu ? Number(cpu[1]) + Number(cpu[2]) : null;
    const rows = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    const right = rows.filter((row) => row.digit === labels[Number(path.basename(row.file, '.png'))]).length;
    const result = {
      date: new Date().toISOString(),
      cpus: os.cpus().length,
      loadAverage: os.loadavg()[0],
      files: FILES,
      side: SIDE,
      run,
      seconds,
      imagesPerSecond: FILES / seconds,
      cpuSeconds,
      imagesPerCpuSecond: cpuSeconds ? FILES / cpuSeconds : null,
      accuracy: right / rows.length,
      how: `digits predict <folder of ${FILES} ${SIDE}x${SIDE} PNGs> --format jsonl, one process, wall time and CPU time including start-up`,
    };
    console.log(JSON.stringify(result, null, 2));
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'predict.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('wrote bench/results/predict.json');
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
