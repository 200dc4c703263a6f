/**
 * Does the image pipeline cost accuracy on MNIST itself? The first BENCH_COUNT (2,000) MNIST test
 * digits are written as PNG files (white on black at 28x28, and dark on white at 5x the size like a
 * scan), read back through `prepareDigitImage` (the path of `digits predict` and the web server),
 * and classified by one model; the same model's accuracy on the raw test pixels is the reference.
 * The model is a small CNN trained here on BENCH_TRAIN (10,000) training digits (seeded), or the
 * model of a run folder given as BENCH_MODEL=<run folder> (BENCH_SAVE_MODEL=<folder> keeps the trained one). The same model then reads the ten drawn
 * digits of each case of test/data/image-fixtures.ts (edge, specks, marks, thin, thick, uneven
 * light, noise): accuracy per case, refusals counted wrong. Writes bench/results/preprocess.json.
 *   npm run bench:preprocess
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { prepareDigitImage } from '../src/data/image';
import { encodeGrayPng } from '../src/data/image-png';
import { selectBackend } from '../src/engine';
import { loadModel, saveModel } from '../src/models/io';
import { caseImage, IMAGE_CASES, trainSmallCnn } from '../test/data/image-fixtures';

const ROOT = path.resolve(__dirname, '..');
const COUNT = Number(process.env.BENCH_COUNT ?? 2000);
const TRAIN = Number(process.env.BENCH_TRAIN ?? 10_000);
const MNIST = process.env.DIGITS_DATA_DIR ?? path.resolve(ROOT, '..', 'shared', 'datasets', 'mnist');

function readIdx(file: string, header: number): Buffer {
  return zlib.gunzipSync(fs.readFileSync(path.join(MNIST, file))).subarray(header);
}

function accuracy(model: tf.LayersModel, pixels: Float32Array, labels: Uint8Array): number {
  const probs = tf.tidy(() => model.predict(tf.tensor4d(pixels, [labels.length, 28, 28, 1])) as tf.Tensor);
  const predicted = tf.tidy(() => probs.argMax(-1)).dataSync();
  probs.dispose();
  let right = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) right++;
  return right / labels.length;
}

async function throughPipeline(files: string[]): Promise<{ pixels: Float32Array; seconds: number; refused: number }> {
  const pixels = new Float32Array(files.length * 784);
  let refused = 0;
  const started = performance.now();
  for (const [i, file] of files.entries()) {
    try {
      pixels.set((await prepareDigitImage(fs.readFileSync(file), { name: file })).pixels, i * 784);
    } catch {
      refused++; // stays all zero: counted wrong unless the model calls a blank that digit
    }
  }
  return { pixels, seconds: (performance.now() - started) / 1000, refused };
}

async function main(): Promise<void> {
  const engine = await selectBackend();
  const testImages = readIdx('t10k-images-idx3-ubyte.gz', 16);
  const testLabels = new Uint8Array(readIdx('t10k-labels-idx1-ubyte.gz', 8).subarray(0, COUNT));
  const model = process.env.BENCH_MODEL
    ? await loadModel(path.join(process.env.BENCH_MODEL, 'model'))
    : await trainSmallCnn(readIdx('train-images-idx3-ubyte.gz', 16), readIdx('train-labels-idx1-ubyte.gz', 8), TRAIN, 3);
  if (process.env.BENCH_SAVE_MODEL) await saveModel(model, path.join(process.env.BENCH_SAVE_MODEL, 'model'));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-preprocess-'));
  try {
    const raw = Float32Array.from(testImages.subarray(0, COUNT * 784), (v) => v / 255);
    const plain: string[] = [];
    const scans: string[] = [];
    for (let i = 0; i < COUNT; i++) {
      const bytes = testImages.subarray(i * 784, (i + 1) * 784);
      plain.push(path.join(dir, `mnist-${i}.png`));
      fs.writeFileSync(plain[i], encodeGrayPng(bytes, 28, 28));
      const inverted = Buffer.from(bytes.map((v) => 255 - v));
      scans.push(path.join(dir, `scan-${i}.png`));
      const png = await sharp(inverted, { raw: { width: 28, height: 28, channels: 1 } }).resize(140, 140, { kernel: 'cubic' }).png().toBuffer();
      fs.writeFileSync(scans[i], png);
    }
    const reference = accuracy(model, raw, testLabels);
    const viaPlain = await throughPipeline(plain);
    const viaScan = await throughPipeline(scans);
    const cases: Record<string, { accuracy: number; refused: number }> = {};
    for (const kind of IMAGE_CASES) {
      const files: string[] = [];
      for (let digit = 0; digit < 10; digit++) {
        files.push(path.join(dir, `${kind}-${digit}.png`));
        fs.writeFileSync(files[digit], await caseImage(kind, digit));
      }
      const via = await throughPipeline(files);
      cases[kind] = { accuracy: accuracy(model, via.pixels, Uint8Array.from({ length: 10 }, (_, d) => d)), refused: via.refused };
    }
    const result = {
      date: new Date().toISOString(),
      backend: engine.backend,
      images: COUNT,
      model: process.env.BENCH_MODEL ?? `small CNN trained here on ${TRAIN} MNIST training digits, 3 epochs`,
      rawPixelsAccuracy: reference,
      pipelineAccuracy: { mnistPng28: accuracy(model, viaPlain.pixels, testLabels), scan140DarkOnWhite: accuracy(model, viaScan.pixels, testLabels) },
      drawnDigitCases: cases,
      refused: { mnistPng28: viaPlain.refused, scan140DarkOnWhite: viaScan.refused },
      imagesPerSecond: { mnistPng28: COUNT / viaPlain.seconds, scan140DarkOnWhite: COUNT / viaScan.seconds },
    };
    console.log(JSON.stringify(result, null, 2));
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'preprocess.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('wrote bench/results/preprocess.json');
  } finally {
    model.dispose();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
