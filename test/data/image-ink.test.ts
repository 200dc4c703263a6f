import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { prepareDigitImage } from '../../src/data/image';
import { grayToInk, keepMainComponents } from '../../src/data/image-ink';
import { STROKE_BAND, strokeCorrection, strokeWidth, thickenOrThin } from '../../src/data/image-stroke';
import { selectBackend } from '../../src/engine';
import { mnistSample } from '../web/fixtures';
import { caseImage, IMAGE_CASES, ImageCase, trainSmallCnn } from './image-fixtures';

function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]);
  return d / a.length;
}

/** Share of the 10 drawn digits of a case that the model reads right. */
async function caseAccuracy(model: tf.LayersModel, kind: ImageCase): Promise<{ right: number; wrong: string[] }> {
  const pixels = new Float32Array(10 * 784);
  for (let d = 0; d < 10; d++) pixels.set((await prepareDigitImage(await caseImage(kind, d), { name: `${kind} ${d}` })).pixels, d * 784);
  const predicted = tf.tidy(() => (model.predict(tf.tensor4d(pixels, [10, 28, 28, 1])) as tf.Tensor).argMax(-1).dataSync());
  const wrong = [...predicted].map((p, d) => (p === d ? '' : `${d} read as ${p}`)).filter(Boolean);
  return { right: 10 - wrong.length, wrong };
}

describe('data/image-ink', () => {
  describe('grayToInk', () => {
    it('keeps a digit whose strokes run off every edge (no border to take the background from)', async () => {
      for (let d = 0; d < 10; d++) {
        const sum = (p: Float32Array) => p.reduce((a, b) => a + b, 0);
        const edge = sum((await prepareDigitImage(await caseImage('edge', d))).pixels);
        const clean = sum((await prepareDigitImage(await caseImage('clean', d))).pixels);
        assert.ok(edge > 0.6 * clean, `digit ${d}: ${edge.toFixed(1)} of ink left, the clean digit has ${clean.toFixed(1)}`);
      }
    });

    it('drops specks and a far stray mark: the 28x28 is the clean digit\'s', async () => {
      for (const kind of ['specks', 'marks'] as const) {
        for (let d = 0; d < 10; d++) {
          const clean = (await prepareDigitImage(await caseImage('clean', d))).pixels;
          const marked = (await prepareDigitImage(await caseImage(kind, d))).pixels;
          assert.ok(meanAbsDiff(clean, marked) < 0.002, `${kind} ${d}: differs by ${meanAbsDiff(clean, marked).toFixed(4)}`);
        }
      }
    });

    it('removes a light-to-dark gradient and Gaussian noise down to a clean background', () => {
      const width = 60, height = 60;
      const gray = new Float32Array(width * height);
      let seed = 7;
      const noise = () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5) * 0.2;
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const light = 1 - 0.5 * (x / width); // white on the left, mid grey on the right
          const stroke = Math.abs(x - 30) < 3 && y > 10 && y < 50; // a "1"
          gray[y * width + x] = Math.min(1, Math.max(0, (stroke ? 0.05 : light) + noise()));
        }
      }
      const { ink } = grayToInk(gray, width, height);
      let outside = 0, inside = 0;
      for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) (Math.abs(x - 30) < 3 && y > 10 && y < 50 ? (inside += ink[y * width + x]) : (outside += ink[y * width + x]));
      assert.ok(outside < 0.02 * inside, `ink left in the background: ${outside.toFixed(2)} (the stroke has ${inside.toFixed(2)})`);
      assert.ok(inside / (5 * 39) > 0.7, `the stroke kept ${(inside / (5 * 39)).toFixed(2)} of its ink`);
    });

    it('still refuses a blank picture', () => {
      assert.throws(() => grayToInk(new Float32Array(400).fill(0.8), 20, 20, 'blank.png'), /blank\.png: no digit found/);
    });
  });

  describe('keepMainComponents', () => {
    it('keeps the heaviest component, a large one anywhere and a moderate one nearby', () => {
      const width = 40, ink = new Float32Array(width * width);
      const fill = (x0: number, y0: number, w: number, h: number) => { for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) ink[y * width + x] = 1; };
      fill(15, 5, 4, 30); // main: 120
      fill(20, 5, 6, 3); // near (1 pixel apart), 18 (15%)
      fill(1, 1, 2, 2); // far speck, 4
      fill(30, 30, 8, 4); // far but large, 32 (27%)
      keepMainComponents(ink, width, width, 1);
      assert.equal(ink.reduce((a, b) => a + b, 0), 120 + 18 + 32);
    });
  });

  describe('strokeWidth / strokeCorrection', () => {
    it('measures a bar\'s width and thickens hairlines and thins heavy strokes toward MNIST\'s', () => {
      const bar = (w: number) => {
        const ink = new Float32Array(80 * 80);
        for (let y = 0; y < 80; y++) for (let x = 40 - Math.floor(w / 2); x < 40 - Math.floor(w / 2) + w; x++) ink[y * 80 + x] = 1;
        return { ink, width: 80, height: 80 };
      };
      assert.ok(Math.abs(strokeWidth(bar(8)) - 8) < 1);
      assert.equal(strokeCorrection(STROKE_BAND.target), 0);
      const thin = bar(2);
      const grown = thickenOrThin(thin, strokeCorrection(strokeWidth(thin)));
      assert.ok(Math.abs(strokeWidth(grown) - STROKE_BAND.target) < 2, `grown to ${strokeWidth(grown)}`);
      const heavy = bar(30);
      const thinned = thickenOrThin(heavy, strokeCorrection(strokeWidth(heavy)));
      assert.ok(strokeWidth(thinned) < 22, `thinned to ${strokeWidth(thinned)}`);
    });
  });

  describe('prepareDigitImage on drawn digits (test/data/image-fixtures.ts)', () => {
    let model: tf.LayersModel;
    before(async function () {
      this.timeout(120_000);
      await selectBackend();
      const train = mnistSample('train', 4000);
      model = await trainSmallCnn(train.images, train.labels, 4000, 2);
    });
    after(() => model?.dispose());

    // Clipped strokes lose shape, so "edge" asks less (the border-based pipeline read 1 of 10).
    for (const kind of IMAGE_CASES) {
      const least = kind === 'edge' ? 6 : 8;
      it(`lets a small MNIST CNN read at least ${least} of the ten "${kind}" digits`, async function () {
        this.timeout(30_000);
        const { right, wrong } = await caseAccuracy(model, kind);
        assert.ok(right >= least, `${kind}: ${right}/10 (${wrong.join(', ')})`);
      });
    }
  });
});
