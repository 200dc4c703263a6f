import * as tf from '@tensorflow/tfjs';
import { Backend, Info, conv2d, pad, release, reshape, reverse, slice, transpose } from './wasm-ops';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: Backend; attrs?: tf.NamedAttrMap };

/**
 * Conv2DBackpropInput for the wasm backend through XNNPACK. The stock wasm kernel is a plain C++
 * loop (~110 ms for the reference CNN's second layer at batch 64, half of a training step).
 *
 *   dx[n, i, j, ci] = sum over kh, kw, co of dyUp[n, i + top - kh, j + left - kw, co] * W[kh, kw, ci, co]
 *
 * where dyUp is dy with (stride - 1) zeros inserted between rows and columns. That is a "full"
 * stride-1 convolution of dyUp by W flipped in both spatial axes with in/out channels swapped.
 * Shapes the rewrite cannot express (padding wider than the kernel) go to the stock kernel.
 */
export function makeConv2DBackpropInput(stock: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs): Info => {
    const { inputs, backend } = args;
    const { dy, filter } = inputs as { dy: Info; filter: Info };
    const attrs = args.attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
    const info = tf.backend_util.computeConv2DInfo(
      attrs.inputShape,
      filter.shape as [number, number, number, number],
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
      false,
      dataFormat,
    );
    const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
    const padTop = kh - 1 - padInfo.top;
    const padLeft = kw - 1 - padInfo.left;
    if (dataFormat !== 'channelsLast' || padTop < 0 || padLeft < 0) return stock(args) as Info;

    const up = upsample(backend, dy, sh, sw); // [N, OH*sh, OW*sw, Cout]
    // Trailing inserted zeros count as bottom/right padding already.
    const padBottom = info.inHeight + padInfo.top - (info.outHeight - 1) * sh - 1 - (sh - 1);
    const padRight = info.inWidth + padInfo.left - (info.outWidth - 1) * sw - 1 - (sw - 1);
    let upCropped = up;
    if (padBottom < 0 || padRight < 0) {
      const [n, h, w, c] = up.shape;
      upCropped = slice(backend, up, [0, 0, 0, 0], [n, h + Math.min(padBottom, 0), w + Math.min(padRight, 0), c]);
    }
    const flipped = reverse(backend, filter, [0, 1]);
    const flippedT = transpose(backend, flipped, [0, 1, 3, 2]); // [KH, KW, Cout, Cin]
    const dx = conv2d(backend, upCropped, flippedT, [1, 1], [1, 1], [
      [padTop, Math.max(padBottom, 0)],
      [padLeft, Math.max(padRight, 0)],
    ]);
    release(backend, flipped, flippedT);
    if (upCropped !== up) release(backend, upCropped);
    if (up !== dy) release(backend, up);
    return dx;
  }) as unknown as tf.KernelFunc;
}

/** Inserts (stride - 1) zero rows/columns after every row/column of dy: [N, OH*sh, OW*sw, C]. */
function upsample(backend: Backend, dy: Info, sh: number, sw: number): Info {
  if (sh === 1 && sw === 1) return dy;
  const [n, oh, ow, c] = dy.shape;
  const dy5 = reshape(backend, dy, [n * oh, 1, ow, 1, c]);
  const padded = pad(backend, dy5, [
    [0, 0],
    [0, sh - 1],
    [0, 0],
    [0, sw - 1],
    [0, 0],
  ]);
  const up = reshape(backend, padded, [n, oh * sh, ow * sw, c]);
  release(backend, dy5, padded);
  return up;
}
