import * as tf from '@tensorflow/tfjs';
import { overlappingMaxPoolGrad } from './max-pool-grad-overlap';
import { allFinite, tiledMaxPoolGrad } from './max-pool-grad-tiled';
import { Backend, Info, argMax, cast, multiply, oneHot, pad, release, reshape, resizeNearest, slice, transpose } from './wasm-ops';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: Backend; attrs?: tf.NamedAttrMap };

/**
 * MaxPoolGrad for the wasm backend. Non-overlapping windows (window = stride, any padding) are
 * built from bulk wasm kernels instead of the stock per-element loop (~30 ms for a
 * [64, 26, 26, 32] input), which also sends the gradient to the LAST of tied maxima and is wrong
 * with 'same' padding. When the forward output is finite they take tiledMaxPoolGrad, which
 * compares x with that output (on the input cropped or -Infinity-padded to the windows when they
 * do not tile it exactly). Otherwise each window becomes a row of k*k values; ArgMax picks the
 * FIRST maximum (the cpu backend's rule), its one-hot mask is put back in image order and
 * multiplied by dy upscaled to the window size (elementwise: broadcasting kernels are slow on wasm).
 * Overlapping windows, which the stock kernel gets wrong with more than one channel, are done by
 * overlappingMaxPoolGrad.
 */
function maxPoolGradImpl(args: KernelArgs): Info {
  const { inputs, backend } = args;
  const { dy, input, output } = inputs as { dy: Info; input: Info; output?: Info };
  const attrs = args.attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(
    input.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (info.filterHeight === info.strideHeight && info.filterWidth === info.strideWidth) {
    if (output != null && allFinite(backend, output)) return croppedTiledGrad(backend, dy, input, output, info);
    return windowsGrad(backend, dy, input, info);
  }
  return overlappingMaxPoolGrad(backend, dy, input, info);
}

export const maxPoolGrad = maxPoolGradImpl as unknown as tf.KernelFunc;

/**
 * The tiled path for any non-overlapping windows: the input is cropped or padded with -Infinity to
 * the windows (never a maximum, and y - (-Infinity) steps to "not the maximum") when they do not
 * tile it exactly (an odd size, or 'same' padding), and the gradient is put back in the input's
 * shape. When they do (the usual 2x2 'valid' pool on even sizes) nothing is copied.
 */
function croppedTiledGrad(backend: Backend, dy: Info, input: Info, output: Info, info: tf.backend_util.Conv2DInfo): Info {
  const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow, padInfo } = info;
  const [, h, w] = input.shape;
  const windows = toWindows(backend, input, [oh * kh, ow * kw], padInfo.top, padInfo.left);
  const image = tiledMaxPoolGrad(backend, dy, windows, output, info);
  const dx = fromWindows(backend, image, [h, w], padInfo.top, padInfo.left);
  if (windows !== input) release(backend, windows);
  if (dx !== image) release(backend, image);
  return dx;
}

function windowsGrad(backend: Backend, dy: Info, input: Info, info: tf.backend_util.Conv2DInfo): Info {
  const { filterHeight: kh, filterWidth: kw, outHeight: oh, outWidth: ow, padInfo } = info;
  const [n, h, w, c] = input.shape;
  const windows = toWindows(backend, input, [oh * kh, ow * kw], padInfo.top, padInfo.left);
  const x5 = reshape(backend, windows, [n * oh, kh, ow, kw, c]);
  const xT = transpose(backend, x5, [0, 2, 4, 1, 3]); // [N*OH, OW, C, KH, KW]
  const rows = reshape(backend, xT, [n * oh * ow * c, kh * kw]);
  const winner = argMax(backend, rows, 1); // [M] int32
  const hot = oneHot(backend, winner, kh * kw); // [M, KH*KW] int32
  const hot5 = reshape(backend, hot, [n * oh, ow, c, kh, kw]);
  const back = transpose(backend, hot5, [0, 3, 1, 4, 2]); // [N*OH, KH, OW, KW, C]
  const maskInt = reshape(backend, back, [n, oh * kh, ow * kw, c]);
  const mask = cast(backend, maskInt, 'float32');
  const dyUp = resizeNearest(backend, dy, [oh * kh, ow * kw]);
  const image = multiply(backend, mask, dyUp); // [N, OH*KH, OW*KW, C], window coordinates
  const dx = fromWindows(backend, image, [h, w], padInfo.top, padInfo.left);
  release(backend, x5, xT, rows, winner, hot, hot5, back, maskInt, mask, dyUp);
  if (windows !== input) release(backend, windows);
  if (dx !== image) release(backend, image);
  return dx;
}

/** Pads x with -Infinity (top/left as given) and crops it so the windows tile it exactly. */
function toWindows(backend: Backend, x: Info, [th, tw]: [number, number], top: number, left: number): Info {
  const [n, h, w, c] = x.shape;
  const bottom = Math.max(0, th - h - top);
  const right = Math.max(0, tw - w - left);
  let out = x;
  if (top + bottom + left + right > 0) {
    out = pad(backend, x, [[0, 0], [top, bottom], [left, right], [0, 0]], -Infinity);
  }
  if (out.shape[1] !== th || out.shape[2] !== tw) {
    const cropped = slice(backend, out, [0, 0, 0, 0], [n, th, tw, c]);
    if (out !== x) release(backend, out);
    out = cropped;
  }
  return out;
}

/** Inverse of toWindows for gradients: zero rows/columns the windows did not cover, padding dropped. */
function fromWindows(backend: Backend, image: Info, [h, w]: [number, number], top: number, left: number): Info {
  const [n, th, tw, c] = image.shape;
  const bottom = Math.max(0, top + h - th);
  const right = Math.max(0, left + w - tw);
  let out = image;
  if (bottom + right > 0) out = pad(backend, image, [[0, 0], [0, bottom], [0, right], [0, 0]]);
  if (top + left > 0 || out.shape[1] !== h || out.shape[2] !== w) {
    const cropped = slice(backend, out, [0, top, left, 0], [n, h, w, c]);
    if (out !== image) release(backend, out);
    out = cropped;
  }
  return out;
}
