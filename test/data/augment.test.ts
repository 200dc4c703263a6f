import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { AffineParams, augmentBatch, sampleAugmentParams, transformBatch } from '../../src/data/augment';
import { createRng } from '../../src/random';
import type { AugmentSpec } from '../../src/config/types';

const SIZE = 28;
const none: AffineParams = { rotation: 0, scale: 1, dx: 0, dy: 0 };
const spec = (s: Partial<AugmentSpec>): AugmentSpec => ({ enabled: true, rotation: 0, shift: 0, zoom: 0, ...s });

/** A batch of `n` images with an asymmetric blob (an L) near the centre, varying a little per image. */
function blobs(n: number): tf.Tensor4D {
  const data = new Float32Array(n * SIZE * SIZE);
  for (let i = 0; i < n; i++) {
    const o = i * SIZE * SIZE;
    for (let r = 9; r < 19; r++) data[o + r * SIZE + 11 + (i % 2)] = 1; // vertical bar
    for (let c = 11; c < 17; c++) data[o + 18 * SIZE + c] = 0.5 + 0.1 * (i % 3); // foot
  }
  return tf.tensor4d(data, [n, SIZE, SIZE, 1]);
}

/** Centre of mass (x = column, y = row) of each image. */
async function centres(xs: tf.Tensor4D): Promise<[number, number][]> {
  const data = await xs.data();
  const out: [number, number][] = [];
  for (let i = 0; i < xs.shape[0]; i++) {
    let m = 0;
    let sx = 0;
    let sy = 0;
    for (let r = 0; r < SIZE; r++) {
      for (let c = 0; c < SIZE; c++) {
        const v = data[i * SIZE * SIZE + r * SIZE + c];
        m += v;
        sx += v * c;
        sy += v * r;
      }
    }
    out.push([sx / m, sy / m]);
  }
  return out;
}

async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = tf.tidy(() => a.sub(b).abs().max());
  const v = (await d.data())[0];
  d.dispose();
  return v;
}

for (const backend of ['cpu', 'wasm']) {
  describe(`data/augment (${backend} backend)`, () => {
    let xs: tf.Tensor4D;
    before(async () => {
      assert.ok(await tf.setBackend(backend), `backend ${backend} did not start`);
      xs = blobs(4);
    });
    after(() => xs.dispose());

    describe('transformBatch', () => {
      it('is the identity for zero parameters', async () => {
        const out = transformBatch(xs, [none, none, none, none]);
        assert.deepEqual(out.shape, xs.shape);
        assert.ok((await maxAbsDiff(out, xs)) < 1e-6);
        out.dispose();
      });

      it('moves the centre of mass by the shift, including fractional shifts', async () => {
        const shifts = [[3, -2], [-4, 1], [0.5, 2.25], [-1.5, -3.75]];
        const out = transformBatch(xs, shifts.map(([dx, dy]) => ({ ...none, dx, dy })));
        const before = await centres(xs);
        const after = await centres(out);
        after.forEach(([x, y], i) => {
          assert.ok(Math.abs(x - before[i][0] - shifts[i][0]) < 1e-3, `image ${i}: x moved ${x - before[i][0]}`);
          assert.ok(Math.abs(y - before[i][1] - shifts[i][1]) < 1e-3, `image ${i}: y moved ${y - before[i][1]}`);
        });
        out.dispose();
      });

      it('turns clockwise on screen for a positive rotation', async () => {
        const out = transformBatch(xs, [{ ...none, rotation: 90 }, none, none, none]);
        // A quarter turn clockwise maps (col, row) to (27 - row, col) about the centre 13.5.
        const expected = tf.tidy(() => tf.reverse(tf.transpose(xs.slice([0, 0, 0, 0], [1, 28, 28, 1]), [0, 2, 1, 3]), 2));
        assert.ok((await maxAbsDiff(out.slice([0, 0, 0, 0], [1, 28, 28, 1]), expected)) < 1e-4);
        tf.dispose([out, expected]);
      });

      it('zooms about the centre', async () => {
        const out = transformBatch(xs, [{ ...none, scale: 1.5 }, none, none, none]);
        const [[x0, y0]] = await centres(xs);
        const [[x1, y1]] = await centres(out);
        assert.ok(Math.abs(x1 - 13.5 - 1.5 * (x0 - 13.5)) < 0.2, `x: ${x0} -> ${x1}`);
        assert.ok(Math.abs(y1 - 13.5 - 1.5 * (y0 - 13.5)) < 0.2, `y: ${y0} -> ${y1}`);
        out.dispose();
      });
    });

    describe('augmentBatch', () => {
      it('is the identity with zero ranges, and a copy when disabled', async () => {
        const zero = augmentBatch(xs, spec({}), createRng(1));
        const off = augmentBatch(xs, spec({ enabled: false, rotation: 30, shift: 0.2 }), createRng(1));
        assert.ok((await maxAbsDiff(zero, xs)) < 1e-6);
        assert.ok((await maxAbsDiff(off, xs)) < 1e-6);
        assert.notEqual(off, xs);
        tf.dispose([zero, off]);
      });

      it('shifts each image by its sampled amount, within the range', async () => {
        const s = spec({ shift: 0.1 });
        const out = augmentBatch(xs, s, createRng(5));
        const params = sampleAugmentParams(4, s, createRng(5), [SIZE, SIZE]);
        const before = await centres(xs);
        const after = await centres(out);
        params.forEach((p, i) => {
          assert.ok(Math.abs(p.dx) <= 2.8 && Math.abs(p.dy) <= 2.8);
          assert.ok(Math.abs(after[i][0] - before[i][0] - p.dx) < 1e-3);
          assert.ok(Math.abs(after[i][1] - before[i][1] - p.dy) < 1e-3);
        });
        assert.ok(params.some((p) => Math.abs(p.dx) > 0.1), 'no image was shifted');
        out.dispose();
      });

      it('gives the same output for the same seed and a different one for another seed', async () => {
        const s = spec({ rotation: 15, shift: 0.1, zoom: 0.1 });
        const a = augmentBatch(xs, s, createRng(42));
        const b = augmentBatch(xs, s, createRng(42));
        const c = augmentBatch(xs, s, createRng(43));
        assert.equal(await maxAbsDiff(a, b), 0);
        assert.ok((await maxAbsDiff(a, c)) > 0.1);
        assert.ok((await maxAbsDiff(a, xs)) > 0.1);
        tf.dispose([a, b, c]);
      });

      it('keeps values in [0, 1] and leaks no tensors', async () => {
        const s = spec({ rotation: 20, shift: 0.15, zoom: 0.2 });
        const before = tf.memory().numTensors;
        const out = augmentBatch(xs, s, createRng(9));
        assert.equal(tf.memory().numTensors, before + 1);
        const [lo, hi] = await Promise.all([out.min().data(), out.max().data()]);
        assert.ok(lo[0] >= 0 && hi[0] <= 1 + 1e-6);
        out.dispose();
      });
    });
  });
}
