import * as tf from '@tensorflow/tfjs';
import { Backend, Info, concat, multiply, release, reshape, row, run, scale, step, subtract, transpose } from './wasm-ops';

/**
 * True when `y` holds no Infinity or NaN (sum of y * 0 is 0). tiledMaxPoolGrad needs it: y - x is
 * NaN for an infinite maximum; the ArgMax path handles those.
 */
export function allFinite(backend: Backend, y: Info): boolean {
  const zeros = scale(backend, y, 0);
  const total = run(backend, 'Sum', { x: zeros }, { axis: y.shape.map((_, i) => i), keepDims: false });
  const value = (backend.readSync(total.dataId) as Float32Array)[0];
  release(backend, zeros, total);
  return value === 0;
}

/**
 * MaxPoolGrad when the windows tile x exactly (window = stride, no padding, sizes multiples of
 * the window; max-pool-grad.ts crops or pads x to make it so), from the forward output y:
 * x is transposed to KH*KW planes, each holding one window position of every window, each the
 * size of y. Going through the planes in row-major window order, plane p gets dy where it equals
 * y and no earlier plane did ("rest" is dy until the first maximum takes it, then zero), so ties
 * go to the FIRST maximum like the cpu backend. The planes are joined and transposed back.
 * Every step is float arithmetic on same-shaped operands: Step(y - x) instead of Equal (wasm
 * comparison kernels are ~10x slower than Sub), no ArgMax, no broadcasting, no rank-5 transpose.
 * ~10 CPU-ms instead of ~24 for a [64, 26, 26, 32] input.
 */
export function tiledMaxPoolGrad(backend: Backend, dy: Info, x: Info, y: Info, info: tf.backend_util.Conv2DInfo): Info {
  const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow } = info;
  const [n, h, w, c] = x.shape;
  const planeSize = n * oh * ow * c;
  const rowsOfWindows = n * oh; // A
  // Planes by two rank-3 transposes (rank-5 ones are ~10x slower on wasm):
  // [A, KH, OW*KW*C] -> [KH, A, OW*KW*C] = [KH*A*OW, KW, C] -> [KW, KH*A*OW, C]; plane j*KH + i.
  const x3 = reshape(backend, x, [rowsOfWindows, kh, ow * kw * c]);
  const byRow = transpose(backend, x3, [1, 0, 2]);
  const byRow3 = reshape(backend, byRow, [kh * rowsOfWindows * ow, kw, c]);
  const byCol = transpose(backend, byRow3, [1, 0, 2]);
  const planes = reshape(backend, byCol, [kw * kh, planeSize]);
  const yFlat = reshape(backend, y, [1, planeSize]);
  let rest = reshape(backend, dy, [1, planeSize]);
  const temps: Info[] = [x3, byRow, byRow3, byCol, planes, yFlat, rest];
  const grads: Info[] = new Array(kh * kw);
  for (let i = 0; i < kh; i++) {
    for (let j = 0; j < kw; j++) {
      const p = j * kh + i;
      const plane = row(backend, planes, p);
      const below = subtract(backend, yFlat, plane); // 0 exactly where this plane holds the maximum
      const notMax = step(backend, below); // 1 or 0
      const kept = multiply(backend, rest, notMax); // rest, or 0 where this plane takes it
      grads[p] = subtract(backend, rest, kept); // 0 or rest, exactly
      temps.push(plane, below, notMax, kept);
      rest = kept;
    }
  }
  const joined = concat(backend, grads, 0); // [KW*KH, planeSize]
  const joined3 = reshape(backend, joined, [kw, kh * rowsOfWindows * ow, c]);
  const backCol = transpose(backend, joined3, [1, 0, 2]); // [KH*A*OW, KW, C]
  const backCol3 = reshape(backend, backCol, [kh, rowsOfWindows, ow * kw * c]);
  const backRow = transpose(backend, backCol3, [1, 0, 2]); // [A, KH, OW*KW*C]
  const dx = reshape(backend, backRow, [n, h, w, c]);
  release(backend, ...temps, ...grads, joined, joined3, backCol, backCol3, backRow);
  return dx;
}
