/**
 * Pictures of digits that are not MNIST, made with sharp from SVG paths: the ten digits drawn as
 * pen strokes, then the same digits touching the image edge, with specks, with a stray mark, with
 * hairline or very thick strokes, under uneven light, and with sensor noise. Each case knows its
 * expected digit. Used by test/data/image-cases.test.ts and bench/preprocess.ts.
 */
import sharp from 'sharp';
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/random';

/** The ten digits as pen strokes in a 100x100 box (ink roughly x 24..78, y 10..90). */
export const DIGIT_PATHS: string[] = [
  '<ellipse cx="50" cy="50" rx="22" ry="38"/>',
  '<path d="M40 22 L52 11 L52 89"/>',
  '<path d="M28 30 C28 8, 72 8, 72 32 C72 50, 40 65, 26 88 L76 88"/>',
  '<path d="M28 18 C45 5, 75 12, 70 32 C67 45, 55 48, 45 48 C60 48, 76 55, 74 70 C72 90, 40 95, 26 82"/>',
  '<path d="M60 88 L60 12 L24 62 L78 62"/>',
  '<path d="M72 12 L32 12 L28 46 C40 38, 72 38, 72 64 C72 90, 40 92, 26 80"/>',
  '<path d="M66 12 C40 20, 28 50, 30 70 C32 92, 70 92, 70 68 C70 48, 40 46, 31 62"/>',
  '<path d="M26 14 L74 14 L44 88"/>',
  '<path d="M50 48 C25 40, 28 12, 50 12 C72 12, 75 40, 50 48 C22 56, 24 88, 50 88 C76 88, 78 56, 50 48 Z"/>',
  '<path d="M70 36 C70 14, 30 14, 30 34 C30 54, 70 54, 70 36 L66 88"/>',
];

/** Ink bounding box of each digit's path in the 100x100 box, for crops without a margin. */
const INK_BOX: Array<[number, number, number, number]> = [
  [28, 12, 72, 88], [40, 11, 52, 89], [26, 10, 76, 88], [26, 9, 75, 88], [24, 12, 78, 88],
  [26, 12, 72, 88], [29, 12, 70, 86], [26, 14, 74, 88], [30, 12, 70, 88], [30, 18, 70, 88],
];

export type ImageCase = 'clean' | 'edge' | 'specks' | 'marks' | 'thin' | 'thick' | 'uneven-light' | 'noise';
export const IMAGE_CASES: ImageCase[] = ['clean', 'edge', 'specks', 'marks', 'thin', 'thick', 'uneven-light', 'noise'];

interface Drawing {
  size: number; // output height in pixels
  aspect?: number; // width / height; default 1
  viewBox?: string;
  strokeWidth?: number; // in the 100x100 box; 8 is MNIST-like
  background?: string; // SVG paint for the background
  extra?: string; // more SVG elements (specks, marks)
  ink?: string;
}

function svg(digit: number, d: Drawing): Buffer {
  const stroke = `fill="none" stroke="${d.ink ?? '#111'}" stroke-width="${d.strokeWidth ?? 8}" stroke-linecap="round" stroke-linejoin="round"`;
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(d.size * (d.aspect ?? 1))}" height="${d.size}" viewBox="${d.viewBox ?? '0 0 100 100'}" preserveAspectRatio="none">
    <defs><linearGradient id="light" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#fff"/><stop offset="1" stop-color="#444"/></linearGradient></defs>
    <rect x="-50" y="-50" width="200" height="200" fill="${d.background ?? '#fff'}"/>
    <g ${stroke}>${DIGIT_PATHS[digit]}</g>${d.extra ?? ''}</svg>`);
}

/**
 * One digit drawn as `kind` says, as a PNG:
 *   clean         200x200, dark strokes of MNIST-like width with a margin
 *   edge          the ink box cut so the strokes run off every side (no margin at all)
 *   specks        clean plus two 2x2-pixel dots near opposite corners
 *   marks         clean plus a short stray pen mark near a corner and a speck
 *   thin / thick  hairline strokes (1/8 of MNIST's) / strokes 3x as wide
 *   uneven-light  a light-to-dark gradient across the page (shadow on one side)
 *   noise         clean plus Gaussian noise of standard deviation 0.3 (seeded)
 */
export async function caseImage(kind: ImageCase, digit: number): Promise<Buffer> {
  const [x0, y0, x1, y1] = INK_BOX[digit];
  const dot = (x: number, y: number) => `<rect x="${x}" y="${y}" width="1" height="1" fill="#111"/>`; // 2x2 pixels
  switch (kind) {
    case 'clean':
      return sharp(svg(digit, { size: 200 })).png().toBuffer();
    case 'edge': {
      // Cut 2 units into the ink box, so strokes (width 8) are clipped at every edge.
      const w = x1 - x0 - 4, h = y1 - y0 - 4;
      return sharp(svg(digit, { size: 160, aspect: w / h, viewBox: `${x0 + 2} ${y0 + 2} ${w} ${h}` })).png().toBuffer();
    }
    case 'specks':
      return sharp(svg(digit, { size: 200, extra: dot(6, 6) + dot(93, 93) })).png().toBuffer();
    case 'marks':
      return sharp(svg(digit, { size: 200, extra: `<path d="M8 90 L15 87" stroke="#111" stroke-width="3" stroke-linecap="round"/>${dot(90, 8)}` })).png().toBuffer();
    case 'thin':
      return sharp(svg(digit, { size: 200, strokeWidth: 1 })).png().toBuffer();
    case 'thick':
      return sharp(svg(digit, { size: 200, strokeWidth: 24 })).png().toBuffer();
    case 'uneven-light':
      return sharp(svg(digit, { size: 200, background: 'url(#light)', ink: '#222' })).png().toBuffer();
    case 'noise':
      return noisy(await sharp(svg(digit, { size: 200 })).png().toBuffer(), 0.3, 1000 + digit);
  }
}

/** The image with Gaussian noise (standard deviation `sigma` of the full range) added, seeded. */
async function noisy(png: Buffer, sigma: number, seed: number): Promise<Buffer> {
  const { data, info } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true });
  const rng = createRng(seed);
  for (let i = 0; i < data.length; i++) {
    const gauss = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng()); // Box-Muller
    data[i] = Math.max(0, Math.min(255, Math.round(data[i] + gauss * sigma * 255)));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: 1 } }).png().toBuffer();
}

/**
 * A small seeded CNN (conv 16@5x5, pool, conv 32@3x3, pool, softmax) trained on the first `count`
 * digits given (bytes 0..255, [count*784]) for `epochs`: good enough to read clean drawn digits.
 */
export async function trainSmallCnn(images: Uint8Array, labels: Uint8Array, count: number, epochs: number): Promise<tf.LayersModel> {
  const seed = (s: number) => tf.initializers.glorotUniform({ seed: s });
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 16, kernelSize: 5, activation: 'relu', kernelInitializer: seed(1) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', kernelInitializer: seed(2) }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax', kernelInitializer: seed(3) }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(0.002), loss: 'sparseCategoricalCrossentropy' });
  const x = tf.tensor4d(Float32Array.from(images.subarray(0, count * 784), (v) => v / 255), [count, 28, 28, 1]);
  const y = tf.tensor1d(Float32Array.from(labels.subarray(0, count)));
  await model.fit(x, y, { epochs, batchSize: 64, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
  return model;
}
