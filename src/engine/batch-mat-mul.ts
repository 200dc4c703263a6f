import * as tf from '@tensorflow/tfjs';
import { Backend, Info, release, reshape, transpose } from './wasm-ops';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: Backend; attrs?: tf.NamedAttrMap };

/** Relative cost of XNNPACK packing a right operand element vs. transposing one (measured ~10x). */
const PACK_COST = 10;

/**
 * BatchMatMul for the wasm backend with transposed operands (every dense layer's and recurrent
 * cell's backward pass). The stock kernel runs XNNPACK only for untransposed operands; with
 * transposeA/transposeB it is ~14x slower. Here the operands are transposed explicitly instead.
 *
 * XNNPACK also re-packs the right operand of every call whose right operand is a new tensor (always,
 * in a backward pass), at ~10x the cost of a transpose per element. So a single matrix product
 * C = A.B may be computed as (B^T.A^T)^T when that packs a much smaller operand: for a dense
 * layer's input gradient dy[64,128].W^T[128,1600] it packs 8K elements instead of 205K.
 */
export function makeBatchMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs): Info => {
    const { inputs, backend } = args;
    const { a, b } = inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args) as Info;
    const single = a.shape.slice(0, -2).every((d) => d === 1) && b.shape.slice(0, -2).every((d) => d === 1);
    if (single && swapIsCheaper(a, b, transposeA, transposeB)) return swapped(stock, backend, a, b, transposeA, transposeB);
    const aT = transposeA ? swapLastAxes(backend, a) : a;
    const bT = transposeB ? swapLastAxes(backend, b) : b;
    const out = plain(stock, backend, aT, bT);
    if (aT !== a) release(backend, aT);
    if (bT !== b) release(backend, bT);
    return out;
  }) as unknown as tf.KernelFunc;
}

function plain(stock: tf.KernelFunc, backend: Backend, a: Info, b: Info): Info {
  return stock({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as Info;
}

/** Elements packed and transposed by each formulation of op(A)[m,k] . op(B)[k,n]. */
function swapIsCheaper(a: Info, b: Info, transposeA: boolean, transposeB: boolean): boolean {
  const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const direct = k * n * PACK_COST + (transposeA ? m * k : 0) + (transposeB ? k * n : 0);
  const viaTranspose = k * m * PACK_COST + (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + m * n;
  return viaTranspose < direct;
}

/** C = (op(B)^T . op(A)^T)^T for rank-2 (or batch-1) operands. */
function swapped(stock: tf.KernelFunc, backend: Backend, a: Info, b: Info, transposeA: boolean, transposeB: boolean): Info {
  const a2 = reshape(backend, a, a.shape.slice(-2));
  const b2 = reshape(backend, b, b.shape.slice(-2));
  const left = transposeB ? b2 : transpose(backend, b2, [1, 0]); // op(B)^T: [n, k]
  const right = transposeA ? a2 : transpose(backend, a2, [1, 0]); // op(A)^T: [k, m]
  const outT = plain(stock, backend, left, right); // [n, m]
  const out2 = transpose(backend, outT, [1, 0]); // [m, n]
  const batch = a.shape.length > 2 || b.shape.length > 2 ? [1] : [];
  const out = reshape(backend, out2, [...batch, ...out2.shape]);
  release(backend, outT, out2, a2, b2);
  if (left !== b2) release(backend, left);
  if (right !== a2) release(backend, right);
  return out;
}

function swapLastAxes(backend: Backend, x: Info): Info {
  const rank = x.shape.length;
  const perm = [...Array(rank).keys()];
  [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
  return transpose(backend, x, perm);
}
