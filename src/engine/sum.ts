import * as tf from '@tensorflow/tfjs';
import { Backend, Info, avgPool, release, reshape, scale } from './wasm-ops';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: Backend; attrs?: tf.NamedAttrMap };

/**
 * Sum for the wasm backend when the reduced axes are the leading ones (every bias gradient:
 * [N, H, W, C] summed to [C]). The stock kernel transposes the whole tensor before reducing
 * (~7.6 ms for [64, 26, 26, 32]); XNNPACK's average pooling over one [rows, 1] window, times
 * rows, does it in one pass (~0.4 ms). Other reductions go to the stock kernel.
 */
export function makeSum(stock: tf.KernelFunc): tf.KernelFunc {
  return makeLeadingReduction(stock, (backend, mean, rows) => scale(backend, mean, rows));
}

/**
 * Mean for the wasm backend when the reduced axes are the leading ones: batch norm's moments in
 * training, [N, H, W, C] to [C] twice per layer. Stock transposes first, as for Sum (~15 ms for
 * [64, 26, 26, 32] in a profile of cnn-strided's step); the average pooling is the mean itself.
 */
export function makeMean(stock: tf.KernelFunc): tf.KernelFunc {
  return makeLeadingReduction(stock, null);
}

/**
 * A reduction over leading axes as one average pooling of x seen as [1, rows, 1, cols], then
 * `finish` (null: the mean is the answer). Anything else (other axes, other dtypes, nothing to
 * reduce) goes to the stock kernel.
 */
function makeLeadingReduction(stock: tf.KernelFunc, finish: ((backend: Backend, mean: Info, rows: number) => Info) | null): tf.KernelFunc {
  return ((args: KernelArgs): Info => {
    const { inputs, backend } = args;
    const { x } = inputs as { x: Info };
    const { axis, keepDims } = args.attrs as unknown as tf.SumAttrs;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const leading = axes.length > 0 && axes.length < x.shape.length && axes.every((ax, i) => ax === i);
    if (!leading || x.dtype !== 'float32') return stock(args) as Info;
    const rows = x.shape.slice(0, axes.length).reduce((p, q) => p * q, 1);
    const kept = x.shape.slice(axes.length);
    const cols = kept.reduce((p, q) => p * q, 1);
    if (rows <= 1 || cols === 0) return stock(args) as Info;
    const x4 = reshape(backend, x, [1, rows, 1, cols]);
    const mean = avgPool(backend, x4, [rows, 1]); // [1, 1, 1, cols]
    const total = finish ? finish(backend, mean, rows) : mean;
    const out = reshape(backend, total, keepDims ? [...axes.map(() => 1), ...kept] : kept);
    release(backend, ...new Set([x4, mean, total]));
    return out;
  }) as unknown as tf.KernelFunc;
}
