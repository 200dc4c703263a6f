/**
 * Test fixtures shared by test/web and test/data/image*: a slice of real MNIST, digits rendered to
 * image files with sharp, and a tiny trained model saved as a run folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { saveModel } from '../../src/models/io';

export const MNIST_DIR = path.join(__dirname, '..', '..', '..', 'shared', 'datasets', 'mnist');

export interface Sample {
  images: Uint8Array; // [count * 784]
  labels: Uint8Array; // [count]
  count: number;
}

const cache = new Map<string, Sample>();

/** The first `count` digits of MNIST's train or test split, read from the gzip IDX files. */
export function mnistSample(split: 'train' | 'test', count: number): Sample {
  const key = `${split}:${count}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const prefix = split === 'train' ? 'train' : 't10k';
  const images = zlib.gunzipSync(fs.readFileSync(path.join(MNIST_DIR, `${prefix}-images-idx3-ubyte.gz`)));
  const labels = zlib.gunzipSync(fs.readFileSync(path.join(MNIST_DIR, `${prefix}-labels-idx1-ubyte.gz`)));
  const sample = {
    images: new Uint8Array(images.subarray(16, 16 + count * 784)),
    labels: new Uint8Array(labels.subarray(8, 8 + count)),
    count,
  };
  cache.set(key, sample);
  return sample;
}

/** One MNIST digit as [784] floats in [0,1]. */
export function digitPixels(sample: Sample, index: number): Float32Array {
  return Float32Array.from(sample.images.subarray(index * 784, (index + 1) * 784), (v) => v / 255);
}

/**
 * One MNIST digit as an image file: white on black at 28x28 by default, or scaled up and/or
 * inverted to dark ink on white like a scan.
 */
export async function digitImage(sample: Sample, index: number, opts: { scale?: number; invert?: boolean; format?: 'png' | 'jpeg' } = {}): Promise<Buffer> {
  const bytes = Buffer.from(sample.images.subarray(index * 784, (index + 1) * 784));
  if (opts.invert) for (let i = 0; i < bytes.length; i++) bytes[i] = 255 - bytes[i];
  let img = sharp(bytes, { raw: { width: 28, height: 28, channels: 1 } });
  if (opts.scale && opts.scale !== 1) img = sharp(await img.png().toBuffer()).resize(28 * opts.scale, 28 * opts.scale, { kernel: 'cubic' });
  return opts.format === 'jpeg' ? img.jpeg({ quality: 90 }).toBuffer() : img.png().toBuffer();
}

/** A hand-drawn-looking "7" as an SVG stroke on a background; rendered with sharp to the format asked. */
export async function drawnSeven(opts: { ink?: string; background?: string; width?: number; height?: number; format?: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff' } = {}): Promise<Buffer> {
  const { ink = '#000', background = '#fff', width = 200, height = 240, format = 'png' } = opts;
  const bg = background === 'none' ? '' : `<rect width="100%" height="100%" fill="${background}"/>`;
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 200 240">${bg}
    <path d="M50 50 L150 50 L90 200" fill="none" stroke="${ink}" stroke-width="16" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
  return sharp(Buffer.from(svg)).toFormat(format).toBuffer();
}

/**
 * A hand-built 8-bit grayscale PNG of `width` x `height` whose IDAT chunk carries `idat` (already deflated):
 * lets a test claim any size in the header without sharp having to make the pixels.
 */
export function grayscalePng(width: number, height: number, idat: Buffer): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(zlib.crc32(body) >>> 0, 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // 8-bit grayscale
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

export type TinyKind = 'good' | 'weak';

const trained = new Map<TinyKind, Promise<{ dir: string; accuracy: number }>>();

/**
 * Saves a small trained dense classifier as a run folder `<runsDir>/<id>/` (model/, metrics.json,
 * config.json), like src/train does. 'good' is trained on 1,200 MNIST images (about 90% right),
 * 'weak' on 300 for one epoch. Each kind is trained once per process (with whatever TF.js backend
 * is active) and copied. Returns the model's accuracy on the first 200 test digits.
 */
export async function saveTinyRun(runsDir: string, id: string, kind: TinyKind = 'good', name = `tiny ${kind} ${id}`): Promise<number> {
  let template = trained.get(kind);
  if (!template) {
    template = trainTiny(kind === 'good' ? 1200 : 300, kind === 'good' ? 4 : 1);
    trained.set(kind, template);
  }
  const { dir, accuracy } = await template;
  const runDir = path.join(runsDir, id);
  fs.cpSync(path.join(dir, 'model'), path.join(runDir, 'model'), { recursive: true });
  fs.writeFileSync(path.join(runDir, 'metrics.json'), JSON.stringify({ name, status: 'finished', validation: { accuracy }, test: { accuracy } }));
  fs.writeFileSync(path.join(runDir, 'config.json'), JSON.stringify({ name, spec: { model: { kind: 'dense-test' } } }));
  return accuracy;
}

async function trainTiny(trainCount: number, epochs: number): Promise<{ dir: string; accuracy: number }> {
  const train = mnistSample('train', trainCount);
  const test = mnistSample('test', 200);
  const model = tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [28, 28, 1] }),
      tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }) }),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.003), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  const x = tf.tensor4d(Float32Array.from(train.images, (v) => v / 255), [train.count, 28, 28, 1]);
  const y = tf.tensor1d(Float32Array.from(train.labels));
  await model.fit(x, y, { epochs, batchSize: 64, shuffle: false, verbose: 0 });
  const tx = tf.tensor4d(Float32Array.from(test.images, (v) => v / 255), [test.count, 28, 28, 1]);
  const predicted = await (model.predict(tx) as tf.Tensor).argMax(-1).data();
  let correct = 0;
  for (let i = 0; i < test.count; i++) if (predicted[i] === test.labels[i]) correct++;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-tiny-model-'));
  await saveModel(model, path.join(dir, 'model'));
  tf.dispose([x, y, tx]);
  model.dispose();
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  return { dir, accuracy: correct / test.count };
}
