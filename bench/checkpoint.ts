/**
 * What a training checkpoint costs for the reference CNN of the default spec (Adam): its size on
 * disk, the time to write it (checkpoint.json + tensors.bin, as after every epoch) and to read it
 * back, beside the time of one training epoch on BENCH_IMAGES (2,000) synthetic images, so the
 * share of an epoch a checkpoint takes can be read off. Prints the figures and writes
 * bench/results/checkpoint.json.
 *   npm run bench:checkpoint
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { defaultRunSpec } from '../src/config/defaults';
import { selectBackend } from '../src/engine';
import { disposeCheckpoint, readCheckpoint, writeCheckpoint, type TrainingCheckpoint } from '../src/train/checkpoint';
import { trainRun } from '../src/train/loop';
import type { LabeledImages } from '../src/train/options';

const ROOT = path.resolve(__dirname, '..');
const IMAGES = Number(process.env.BENCH_IMAGES ?? 2000);
const REPEATS = 5;

function images(n: number): LabeledImages {
  return { xs: tf.randomUniform([n, 28, 28, 1], 0, 1, 'float32', 1) as tf.Tensor4D, labels: Uint8Array.from({ length: n }, (_, i) => i % 10) };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const engine = await selectBackend();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-checkpoint-'));
  const spec = defaultRunSpec();
  spec.train = { ...spec.train, epochs: 2 };
  const data = { train: images(IMAGES), validation: images(200), test: images(200) };
  const writes: number[] = [];
  const reads: number[] = [];
  let bytes = 0;
  let parameters = 0;
  try {
    const r = await trainRun(spec, data, {
      onCheckpoint: (c: TrainingCheckpoint) => {
        parameters = c.model.reduce((sum, t) => sum + t.size, 0);
        for (let i = 0; i < REPEATS; i++) {
          const dir = path.join(temp, `c${i}`);
          const started = performance.now();
          writeCheckpoint(dir, c, 'bench');
          writes.push(performance.now() - started);
        }
        bytes = fs.statSync(path.join(temp, 'c0', 'tensors.bin')).size + fs.statSync(path.join(temp, 'c0', 'checkpoint.json')).size;
      },
    });
    for (let i = 0; i < REPEATS; i++) {
      const started = performance.now();
      const read = readCheckpoint(path.join(temp, `c${i}`), 'bench');
      reads.push(performance.now() - started);
      if (!read) throw new Error('the checkpoint did not read back');
      disposeCheckpoint(read);
    }
    const epochSeconds = r.history[r.history.length - 1].seconds; // the last epoch: past the first one's warm-up
    r.model.dispose();
    const result = {
      date: new Date().toISOString(),
      engine: engine.tfBackend,
      cpus: os.cpus().length,
      loadAverage: os.loadavg()[0],
      model: 'reference CNN of the default spec, Adam',
      parameters,
      checkpointBytes: bytes,
      writeMs: { median: median(writes), max: Math.max(...writes) },
      readMs: { median: median(reads), max: Math.max(...reads) },
      epoch: { images: IMAGES, seconds: epochSeconds },
      writeShareOfEpoch: median(writes) / 1000 / epochSeconds,
      how: `writeCheckpoint and readCheckpoint ${REPEATS} times each on the state after epoch 1; the epoch's time is the last epoch's, from the history (the first carries warm-up)`,
    };
    console.log(JSON.stringify(result, null, 2));
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'checkpoint.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('wrote bench/results/checkpoint.json');
  } finally {
    tf.dispose([data.train.xs, data.validation.xs, data.test.xs]);
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
