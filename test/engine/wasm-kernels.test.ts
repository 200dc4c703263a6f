import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { registerWasmGradients } from '../../src/engine';
import { MEAN_GRADIENT } from '../../src/engine/mean-grad';
import { tileInto } from '../../src/engine/tile';
import { randn, relativeError, valuesOn } from './helpers';

const TOLERANCE = 1e-4;
type Pad = 'same' | 'valid';
type Stride = number | [number, number];

/** Gradient of sum(f(...)^2) w.r.t. one input, on cpu and on wasm, compared. */
async function compareGrad(f: (...xs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], wrt: number): Promise<number> {
  const grad = () => {
    const g = tf.grads((...xs: tf.Tensor[]) => f(...xs).square().sum());
    return g(inputs)[wrt];
  };
  const expected = await valuesOn('cpu', grad);
  const actual = await valuesOn('wasm', grad);
  return relativeError(actual, expected);
}

describe('engine', () => {
  let previous: string;
  before(async () => {
    previous = tf.getBackend();
    registerWasmGradients();
    registerWasmGradients(); // idempotent
    await tf.setBackend('cpu');
  });
  after(async () => {
    if (previous != null) await tf.setBackend(previous);
  });

  // [batch, height, width, inChannels, kernelH, kernelW, outChannels, strides, padding]
  const convCases: Array<[number, number, number, number, number, number, number, Stride, Pad]> = [
    [1, 7, 9, 1, 3, 3, 4, 1, 'valid'],
    [3, 7, 9, 1, 3, 3, 16, 1, 'valid'], // patch (9) < outChannels: im2col path
    [3, 7, 9, 3, 3, 3, 4, 2, 'same'],
    [1, 9, 7, 2, 3, 3, 32, 2, 'same'], // im2col path, strided
    [3, 8, 8, 3, 5, 5, 2, 2, 'valid'],
    [1, 7, 9, 3, 5, 5, 4, 1, 'same'],
    [3, 7, 9, 2, 1, 3, 4, 1, 'same'],
    [1, 9, 7, 2, 3, 1, 4, 2, 'valid'],
    [3, 9, 7, 3, 1, 3, 8, [2, 1], 'same'],
    [1, 8, 9, 1, 3, 3, 1, [1, 2], 'valid'],
    // sizes that are multiples of the stride: Conv2DBackpropInput by phases
    [2, 24, 24, 3, 5, 5, 4, 2, 'same'], // cnn-strided's downsampling
    [2, 12, 12, 3, 3, 3, 4, 2, 'same'],
    [1, 10, 12, 2, 4, 3, 3, [2, 3], 'same'],
    [1, 9, 6, 2, 3, 3, 2, 3, 'valid'],
    [1, 8, 8, 2, 2, 2, 3, 2, 'valid'], // kernel = stride: one tap per phase
    [2, 8, 6, 2, 3, 5, 3, [1, 2], 'same'],
  ];

  describe('Conv2D and FusedConv2D (explicit padding for same)', () => {
    // [height, width, kernelH, kernelW, strides]: XNNPACK's TF-SAME mode returns zeros for some
    const cases: Array<[number, number, number, number, Stride]> = [
      [28, 28, 1, 3, 2],
      [28, 28, 3, 1, 2],
      [7, 9, 1, 1, 2],
      [7, 9, 3, 3, 2],
      [9, 7, 5, 3, [2, 1]],
    ];
    for (const [h, w, kh, kw, s] of cases) {
      it(`matches cpu: ${h}x${w} input, ${kh}x${kw} kernel, stride ${s}, same`, async () => {
        const x = randn([2, h, w, 3], 16);
        const filter = randn([kh, kw, 3, 4], 17);
        const bias = randn([4], 18);
        const plain = () => tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, s, 'same');
        const fused = () => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: filter as tf.Tensor4D, strides: s, pad: 'same', bias, activation: 'relu' });
        for (const f of [plain, fused]) {
          const expected = await valuesOn('cpu', f);
          const actual = await valuesOn('wasm', f);
          assert.ok(relativeError(actual, expected) < TOLERANCE, `relative error ${relativeError(actual, expected)}`);
        }
      });
    }
  });

  describe('Conv2DBackpropFilter (registered)', () => {
    for (const [n, h, w, ci, kh, kw, co, s, pad] of convCases) {
      it(`matches cpu: x ${n}x${h}x${w}x${ci}, kernel ${kh}x${kw}x${co}, stride ${s}, ${pad}`, async () => {
        const x = randn([n, h, w, ci], 1);
        const filter = randn([kh, kw, ci, co], 2);
        const err = await compareGrad((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad), [x, filter], 1);
        assert.ok(err < TOLERANCE, `relative error ${err}`);
      });
    }
  });

  describe('Conv2DBackpropInput (replaced)', () => {
    for (const [n, h, w, ci, kh, kw, co, s, pad] of convCases) {
      it(`matches cpu: x ${n}x${h}x${w}x${ci}, kernel ${kh}x${kw}x${co}, stride ${s}, ${pad}`, async () => {
        const x = randn([n, h, w, ci], 3);
        const filter = randn([kh, kw, ci, co], 4);
        const err = await compareGrad((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, s, pad), [x, filter], 0);
        assert.ok(err < TOLERANCE, `relative error ${err}`);
      });
    }
  });

  describe('MaxPoolGrad (registered)', () => {
    // [batch, height, width, channels, pool, strides, padding]
    const cases: Array<[number, number, number, number, number | [number, number], Stride, Pad]> = [
      [1, 8, 8, 1, 2, 2, 'valid'], // windows tile the input: compared with the forward output
      [2, 6, 8, 5, [3, 2], [3, 2], 'valid'], // tiled, non-square windows
      [3, 7, 9, 4, 2, 2, 'valid'],
      [3, 9, 7, 2, [1, 3], [1, 3], 'valid'],
      [2, 9, 9, 3, 3, 3, 'valid'],
      [2, 7, 9, 2, 3, 2, 'valid'],
      [2, 7, 9, 2, 2, 2, 'same'],
      [2, 8, 7, 3, 3, 3, 'same'],
      [2, 7, 9, 2, 3, 2, 'same'],
      [1, 8, 8, 2, 3, 1, 'same'],
    ];
    for (const [n, h, w, c, pool, s, pad] of cases) {
      it(`matches cpu: x ${n}x${h}x${w}x${c}, pool ${pool}, stride ${s}, ${pad}`, async () => {
        const x = randn([n, h, w, c], 5);
        const err = await compareGrad((a) => tf.maxPool(a as tf.Tensor4D, pool, s, pad), [x], 0);
        assert.ok(err < TOLERANCE, `relative error ${err}`);
        // and with a distinct gradient for every output, so a misrouted one cannot cancel out
        const ramp = (a: tf.Tensor) => {
          const y = tf.maxPool(a as tf.Tensor4D, pool, s, pad);
          return y.mul(tf.range(1, y.size + 1).reshape(y.shape)).sum();
        };
        const expected = await valuesOn('cpu', () => tf.grad(ramp)(x));
        const actual = await valuesOn('wasm', () => tf.grad(ramp)(x));
        assert.ok(relativeError(actual, expected) < TOLERANCE, `ramp: relative error ${relativeError(actual, expected)}`);
      });
    }
    it('routes the gradient to the first maximum when a window has ties', async () => {
      const x = tf.tidy(() => tf.floor(tf.randomUniform([2, 6, 6, 3], 0, 2, 'float32', 6))); // many 0/1 ties
      const f = () => tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').mul(randn([2, 3, 3, 3], 7)).sum())(x);
      const expected = await valuesOn('cpu', f);
      const actual = await valuesOn('wasm', f);
      const plain = (v: Float32Array) => Array.from(v, (e) => e + 0); // -0 and 0 are the same gradient
      assert.deepEqual(plain(actual), plain(expected));
    });
    it('routes the gradient to infinite maxima like cpu', async () => {
      const x = tf.tensor4d([-Infinity, -Infinity, -Infinity, -Infinity, Infinity, 1, Infinity, 2], [1, 2, 4, 1]);
      const f = () => tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, 2, 2, 'valid').mul(tf.tensor4d([3, 5], [1, 1, 2, 1])).sum())(x);
      assert.deepEqual(Array.from(await valuesOn('wasm', f)), Array.from(await valuesOn('cpu', f)));
    });
    // 9x6 with pool 3: windows tile the input (tiled path); 7x6 with pool 2: they do not (ArgMax path)
    for (const [pool, h, w] of [[3, 9, 6], [2, 7, 6]] as const) {
      it(`routes the gradient to the first maximum with relu-like ties: pool ${pool}, ${h}x${w} input`, async () => {
        const x = tf.tidy(() => tf.relu(tf.floor(tf.randomUniform([2, h, w, 3], -1, 2, 'float32', 8)))); // 0/1 ties, like relu outputs
        const oh = Math.floor(h / pool);
        const ow = Math.floor(w / pool);
        const f = () => tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, pool, pool, 'valid').mul(randn([2, oh, ow, 3], 9)).sum())(x);
        const expected = await valuesOn('cpu', f);
        const actual = await valuesOn('wasm', f);
        const plain = (v: Float32Array) => Array.from(v, (e) => e + 0);
        assert.deepEqual(plain(actual), plain(expected));
      });
    }
  });

  describe('BatchMatMul (replaced)', () => {
    const cases: Array<[number[], number[], boolean, boolean]> = [
      [[5, 7], [5, 3], true, false],
      [[5, 7], [3, 7], false, true],
      [[7, 5], [3, 7], true, true],
      [[2, 5, 7], [2, 3, 7], false, true],
      [[2, 7, 5], [2, 7, 3], true, false],
      [[2, 8], [40, 8], false, true], // computed as (B.A^T)^T: packs the smaller operand
      [[8, 2], [8, 40], true, false],
      [[1, 2, 8], [1, 40, 8], false, true],
    ];
    for (const [aShape, bShape, ta, tb] of cases) {
      it(`matches cpu: ${aShape} x ${bShape}, transposeA ${ta}, transposeB ${tb}`, async () => {
        const a = randn(aShape, 8);
        const b = randn(bShape, 9);
        const expected = await valuesOn('cpu', () => tf.matMul(a, b, ta, tb));
        const actual = await valuesOn('wasm', () => tf.matMul(a, b, ta, tb));
        assert.ok(relativeError(actual, expected) < 1e-5);
        const err = await compareGrad((p, q) => tf.matMul(p, q, ta, tb), [a, b], 0);
        assert.ok(err < TOLERANCE, `relative error ${err}`);
      });
    }
  });

  describe('Sum and Mean (replaced)', () => {
    // [shape, axes, keepDims]: leading axes use average pooling, others the stock kernel
    const cases: Array<[number[], number[], boolean]> = [
      [[64, 26, 26, 32], [0, 1, 2], false],
      [[3, 7, 9, 5], [0, 1, 2], true],
      [[37, 10], [0], false],
      [[4, 5, 6], [0, 1], false],
      [[4, 5, 6], [1, 2], false],
      [[4, 5, 6], [0, 1, 2], false],
      [[1, 5, 6], [0], true],
    ];
    const reductions: Array<[string, (x: tf.Tensor, axes: number[], keepDims: boolean) => tf.Tensor]> = [
      ['sum', (x, axes, keepDims) => tf.sum(x, axes, keepDims)],
      ['mean', (x, axes, keepDims) => tf.mean(x, axes, keepDims)],
    ];
    for (const [name, reduce] of reductions) {
      for (const [shape, axes, keepDims] of cases) {
        it(`${name} matches cpu: shape ${shape}, axes ${axes}, keepDims ${keepDims}`, async () => {
          const x = randn(shape, 10);
          const expected = await valuesOn('cpu', () => reduce(x, axes, keepDims));
          const actual = await valuesOn('wasm', () => reduce(x, axes, keepDims));
          assert.ok(relativeError(actual, expected) < TOLERANCE);
          await tf.setBackend('wasm');
          const expectedShape = keepDims ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
          assert.deepEqual(tf.tidy(() => reduce(x, axes, keepDims)).shape, expectedShape);
        });
      }
    }

    it('mean has a gradient that broadcasts with Tile and gives TF.js\'s values bit for bit', async () => {
      assert.equal(tf.getGradient(tf.Mean), MEAN_GRADIENT);
      for (const [shape, axes, keepDims] of cases) {
        const x = randn(shape, 20);
        const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
        const dy = randn(keepDims ? kept : shape.filter((_, i) => !axes.includes(i)), 21);
        const n = axes.reduce((size, a) => size * shape[a], 1);
        for (const backend of ['cpu', 'wasm']) {
          const actual = await valuesOn(backend, () => tf.grad((v: tf.Tensor) => tf.mean(v, axes, keepDims).mul(dy).sum())(x));
          const stock = await valuesOn(backend, () => tf.div(tf.mul(tf.reshape(dy, kept), tf.ones(shape)), n)); // TF.js's own formula
          assert.deepEqual(actual, stock, `${backend}: shape ${shape}, axes ${axes}`);
        }
      }
    });

    it('mean leaks no backend memory', async () => {
      await tf.setBackend('wasm');
      const x = randn([8, 5, 5, 3], 1);
      tf.mean(x, [0, 1, 2]).dispose(); // the first call may set up the pooling operator
      const before = tf.memory();
      tf.mean(x, [0, 1, 2]).dispose();
      const after = tf.memory();
      assert.equal(after.numTensors, before.numTensors);
      assert.equal(after.numBytes, before.numBytes);
      assert.equal((after as { numDataBuffers?: number }).numDataBuffers, (before as { numDataBuffers?: number }).numDataBuffers);
    });
  });

  describe('Tile (replaced)', () => {
    // [shape, reps]: batch norm's per-channel case, every axis repeated, odd sizes, rank 1 and 5
    const cases: Array<[number[], number[]]> = [
      [[1, 1, 1, 64], [64, 11, 11, 1]],
      [[2, 3, 4, 5], [3, 1, 2, 2]],
      [[3, 1, 5], [1, 7, 1]],
      [[7], [5]],
      [[2, 1, 3, 1, 2], [2, 3, 1, 4, 3]],
      [[4, 3], [1, 1]],
    ];
    for (const [shape, reps] of cases) {
      it(`matches cpu: shape ${shape}, reps ${reps}`, async () => {
        const x = randn(shape, 12);
        const expected = await valuesOn('cpu', () => tf.tile(x, reps));
        const actual = await valuesOn('wasm', () => tf.tile(x, reps));
        assert.deepEqual(Array.from(actual), Array.from(expected));
        // The block copies themselves, so this fails even if the stock kernel were still registered.
        const direct = new Float32Array(expected.length);
        tileInto(Float32Array.from(await valuesOn('cpu', () => x.clone())), shape, reps, direct);
        assert.deepEqual(Array.from(direct), Array.from(expected));
      });
    }

    it('tiles int32 and bool tensors, and empty ones', async () => {
      for (const dtype of ['int32', 'bool'] as const) {
        const x = tf.tensor([[1, 0, 3], [0, 5, 6]], [2, 3], dtype);
        const expected = await valuesOn('cpu', () => tf.tile(x, [2, 3]));
        const actual = await valuesOn('wasm', () => tf.tile(x, [2, 3]));
        assert.deepEqual(Array.from(actual), Array.from(expected), dtype);
        x.dispose();
      }
      await tf.setBackend('wasm');
      const empty = tf.tidy(() => tf.tile(tf.zeros([0, 3]), [2, 2]));
      assert.deepEqual(empty.shape, [0, 6]);
      empty.dispose();
    });

    it('gives the same batch-norm gradients as cpu', async () => {
      const x = randn([4, 5, 5, 3], 13);
      const f = (input: tf.Tensor) => tf.batchNorm(input, tf.mean(input, [0, 1, 2]), tf.tensor1d([0.5, 1, 2]), tf.tensor1d([0.1, 0, -0.1]), tf.tensor1d([1.5, 0.5, 1]));
      assert.ok((await compareGrad(f, [x], 0)) < TOLERANCE);
    });
  });

  describe('Identity (replaced)', () => {
    it('shares the data of its input, which outlives either tensor alone', async () => {
      await tf.setBackend('wasm');
      const backend = tf.backend() as unknown as { dataIdMap: { numDataIds(): number } };
      const ids = backend.dataIdMap.numDataIds();
      const original = tf.tensor1d([1, 2, 3]);
      const copy = original.clone();
      assert.equal(backend.dataIdMap.numDataIds(), ids + 1);
      original.dispose();
      assert.deepEqual(Array.from(await copy.data()), [1, 2, 3]);
      copy.dispose();
      assert.equal(backend.dataIdMap.numDataIds(), ids);
    });
  });

  describe('registerWasmGradients', () => {
    it('frees every intermediate of the project kernels', async () => {
      await tf.setBackend('wasm');
      const backend = tf.backend() as unknown as { dataIdMap: { numDataIds(): number } };
      const x = randn([3, 9, 7, 2], 12);
      const filter = randn([3, 3, 2, 4], 13);
      const a = randn([2, 8], 14);
      const b = randn([40, 8], 15);
      const step = () =>
        tf.tidy(() => {
          const [dx, df] = tf.grads((p: tf.Tensor, q: tf.Tensor) => {
            const y = tf.conv2d(p as tf.Tensor4D, q as tf.Tensor4D, 2, 'same');
            const tiled = tf.maxPool(y.slice([0, 0, 0, 0], [3, 4, 4, 4]), 2, 2, 'valid').sum();
            return tf.maxPool(y, 2, 2, 'valid').sum().add(tf.maxPool(y, 3, 2, 'same').sum()).add(tiled);
          })([x, filter]);
          const [da, db] = tf.grads((p: tf.Tensor, q: tf.Tensor) => tf.matMul(p, q, false, true).sum())([a, b]);
          return tf.sum(dx).add(tf.sum(df)).add(tf.sum(da, 0).sum()).add(tf.sum(db));
        }).dispose();
      step(); // fills the project kernels' caches (identity filters)
      const before = backend.dataIdMap.numDataIds();
      for (let i = 0; i < 3; i++) step();
      assert.equal(backend.dataIdMap.numDataIds(), before);
    });
  });
});
