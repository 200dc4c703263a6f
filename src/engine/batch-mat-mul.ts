import * as tf from '@tensorflow/tfjs';
import { Backend, Info, release, transpose } from './wasm-ops';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: Backend; attrs?: tf.NamedAttrMap };

/**
 * BatchMatMul for the wasm backend that materialises transposed operands first. The stock kernel
 * runs XNNPACK only for untransposed operands; with transposeA/transposeB (every dense layer's
 * backward pass) it is ~14x slower than an explicit Transpose followed by the fast path.
 */
export function makeBatchMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs): Info => {
    const { inputs, backend } = args;
    const { a, b } = inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args) as Info;
    const aT = transposeA ? swapLastAxes(backend, a) : a;
    const bT = transposeB ? swapLastAxes(backend, b) : b;
    const out = stock({ inputs: { a: aT, b: bT }, backend, attrs: { transposeA: false, transposeB: false } }) as Info;
    if (aT !== a) release(backend, aT);
    if (bT !== b) release(backend, bT);
    return out;
  }) as unknown as tf.KernelFunc;
}

function swapLastAxes(backend: Backend, x: Info): Info {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return transpose(backend, x, perm);
}
