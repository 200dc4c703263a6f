import * as tf from '@tensorflow/tfjs';
import { Backend, Info, release, reshape, transpose } from './wasm-ops';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: Backend; attrs?: tf.NamedAttrMap };

/**
 * Relative cost of XNNPACK packing a right operand element vs. transposing one: measured 1-2x for
 * 32K-element operands, ~8x at 200K, ~15x at 1.4M; the output's transpose counts twice (strided).
 */
const PACK_COST = 4;

/**
 * BatchMatMul for the wasm backend with transposed operands (every dense layer's and recurrent
 * cell's backward pass). The stock kernel runs XNNPACK only for untransposed operands; with
 * transposeA/transposeB it is ~14x slower. Here the operands are transposed explicitly instead.
 *
 * XNNPACK also re-packs the right operand of every call whose right operand is a new tensor (always,
 * in a backward pass), at up to ~15x the cost of a transpose per element. So a single matrix product
 * C = A.B may be computed as (B^T.A^T)^T when that packs a much smaller operand: for a dense
 * layer's input gradient dy[64,128].W^T[128,1600] it packs 8K elements instead of 205K.
 * A right operand seen again (an RNN's recurrent weights, once per time step) is transposed once
 * and kept, so XNNPACK finds it already packed.
 */
export function makeBatchMatMul(stock: tf.KernelFunc): tf.KernelFunc {
  const reused = new ReusedTransposes();
  return ((args: KernelArgs): Info => {
    const { inputs, backend } = args;
    const { a, b } = inputs as { a: Info; b: Info };
    const { transposeA, transposeB } = args.attrs as unknown as tf.BatchMatMulAttrs;
    if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args) as Info;
    const kept = transposeB ? reused.lookup(backend, b) : undefined;
    const single = a.shape.slice(0, -2).every((d) => d === 1) && b.shape.slice(0, -2).every((d) => d === 1);
    if (kept == null && single && swapIsCheaper(a, b, transposeA, transposeB)) {
      return swapped(stock, backend, a, b, transposeA, transposeB);
    }
    const aT = transposeA ? swapLastAxes(backend, a) : a;
    const bT = kept ?? (transposeB ? swapLastAxes(backend, b) : b);
    const out = plain(stock, backend, aT, bT);
    if (aT !== a) release(backend, aT);
    if (bT !== b && bT !== kept) release(backend, bT);
    return out;
  }) as unknown as tf.KernelFunc;
}

/**
 * Transposes of right operands that recur. The first sighting of an operand is only noted; from
 * the second on, its transpose is made once and kept. Keys are dataId objects, which are never
 * reused, so a hit is always the same data; entries of operands freed since merely go stale and
 * are released when they fall out.
 */
class ReusedTransposes {
  private readonly seen: object[] = [];
  private readonly kept: Array<{ backend: tf.KernelBackend; dataId: object; transposed: Info }> = [];
  private static readonly SIZE = 4;

  lookup(backend: tf.KernelBackend, x: Info): Info | undefined {
    const hit = this.kept.find((e) => e.dataId === x.dataId && e.backend === backend);
    if (hit != null) return hit.transposed;
    if (!this.seen.includes(x.dataId)) {
      this.seen.push(x.dataId);
      if (this.seen.length > ReusedTransposes.SIZE) this.seen.shift();
      return undefined;
    }
    const transposed = swapLastAxes(backend, x);
    this.kept.push({ backend, dataId: x.dataId, transposed });
    if (this.kept.length > ReusedTransposes.SIZE) {
      const oldest = this.kept.shift()!;
      release(oldest.backend, oldest.transposed);
    }
    return transposed;
  }
}

function plain(stock: tf.KernelFunc, backend: Backend, a: Info, b: Info): Info {
  return stock({ inputs: { a, b }, backend, attrs: { transposeA: false, transposeB: false } }) as Info;
}

/** Elements packed and transposed by each formulation of op(A)[m,k] . op(B)[k,n]. */
function swapIsCheaper(a: Info, b: Info, transposeA: boolean, transposeB: boolean): boolean {
  const [m, k] = transposeA ? a.shape.slice(-2).reverse() : a.shape.slice(-2);
  const n = transposeB ? b.shape[b.shape.length - 2] : b.shape[b.shape.length - 1];
  const direct = k * n * PACK_COST + (transposeA ? m * k : 0) + (transposeB ? k * n : 0);
  const viaTranspose = k * m * PACK_COST + (transposeB ? 0 : k * n) + (transposeA ? 0 : m * k) + 2 * m * n;
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
