import * as tf from '@tensorflow/tfjs';
import { Backend, Info, cachedConstant, conv2d, matMul, release, reshape, slice, transpose } from './wasm-ops';

/**
 * Conv2DBackpropFilter for the wasm backend (tfjs-backend-wasm 4.22 has none), expressed as one
 * XNNPACK convolution so it runs at the backend's own speed:
 *
 *   dW[kh, kw, ci, co] = sum over n, oh, ow of
 *                        x[n, oh*sh + kh - top, ow*sw + kw - left, ci] * dy[n, oh, ow, co]
 *
 * is a convolution of x' = x with batch and channel axes swapped ([Cin, H, W, N]) by the filter
 * dy' = dy as [OH, OW, N, Cout], with stride 1 and dilation = the forward stride. Its output,
 * [Cin, KH, KW, Cout], is transposed back to the filter layout [KH, KW, Cin, Cout].
 *
 * XNNPACK re-packs a convolution filter (or a matmul's right operand) whenever it is a new tensor,
 * at ~15 ns an element, so the cost is dominated by the size of that operand. When a patch
 * (KH*KW*Cin) is smaller than Cout, as in a first layer on 1-channel images, the patches are the
 * smaller operand: they are extracted by a convolution with a cached identity filter and
 * dW = dy^T . patches is one matmul.
 */
function conv2DBackpropFilterImpl(args: {
  inputs: tf.NamedTensorInfoMap;
  backend: Backend;
  attrs?: tf.NamedAttrMap;
}): Info {
  const { inputs, backend } = args;
  const { x, dy } = inputs as { x: Info; dy: Info };
  const attrs = args.attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  const dataFormat = tf.backend_util.convertConv2DDataFormat(attrs.dataFormat);
  if (dataFormat !== 'channelsLast') {
    throw new Error(`wasm Conv2DBackpropFilter supports only NHWC data, got ${attrs.dataFormat}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (info.filterHeight * info.filterWidth * info.inChannels < info.outChannels) {
    return viaPatches(backend, x, dy, info);
  }
  return viaConv(backend, x, dy, info);
}

function viaConv(backend: Backend, x: Info, dy: Info, info: tf.backend_util.Conv2DInfo): Info {
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = info;
  const { filterHeight, filterWidth, padInfo } = info;
  // Rows/columns past the last window are unused; the equivalent convolution would need negative
  // bottom/right padding there, so they are cropped instead.
  const bottom = filterHeight + (outHeight - 1) * strideHeight - inHeight - padInfo.top;
  const right = filterWidth + (outWidth - 1) * strideWidth - inWidth - padInfo.left;

  const xT = transpose(backend, x, [3, 1, 2, 0]); // [Cin, H, W, N]
  let xCropped = xT;
  if (bottom < 0 || right < 0) {
    const [c, h, w, n] = xT.shape;
    xCropped = slice(backend, xT, [0, 0, 0, 0], [c, h + Math.min(bottom, 0), w + Math.min(right, 0), n]);
  }
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [OH, OW, N, Cout]
  const dwT = conv2d(
    backend,
    xCropped,
    dyT,
    [1, 1],
    [strideHeight, strideWidth],
    [
      [padInfo.top, Math.max(bottom, 0)],
      [padInfo.left, Math.max(right, 0)],
    ],
  ); // [Cin, KH, KW, Cout]
  const dw = transpose(backend, dwT, [1, 2, 0, 3]); // [KH, KW, Cin, Cout]
  release(backend, xT, dyT, dwT);
  if (xCropped !== xT) release(backend, xCropped);
  return dw;
}

function viaPatches(backend: Backend, x: Info, dy: Info, info: tf.backend_util.Conv2DInfo): Info {
  const { filterHeight: kh, filterWidth: kw, inChannels: cin, outChannels: cout, padInfo } = info;
  const patchLength = kh * kw * cin;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const eye = identityFilter(backend, kh, kw, cin);
  const patches = conv2d(backend, x, eye, [info.strideHeight, info.strideWidth], [1, 1], [
    [padInfo.top, padInfo.bottom],
    [padInfo.left, padInfo.right],
  ]); // [N, OH, OW, KH*KW*Cin]
  const patches2 = reshape(backend, patches, [rows, patchLength]);
  const dy2 = reshape(backend, dy, [rows, cout]);
  const dyT = transpose(backend, dy2, [1, 0]); // [Cout, rows]
  const dwT = matMul(backend, dyT, patches2); // [Cout, KH*KW*Cin]
  const dw2 = transpose(backend, dwT, [1, 0]);
  const dw = reshape(backend, dw2, [kh, kw, cin, cout]);
  release(backend, patches, patches2, dy2, dyT, dwT, dw2);
  return dw;
}

/** Filters [KH, KW, Cin, KH*KW*Cin] that copy each patch into the channels (an identity matrix). */
function identityFilter(backend: Backend, kh: number, kw: number, cin: number): Info {
  const size = kh * kw * cin;
  return cachedConstant(backend, `identity ${kh}x${kw}x${cin}`, [kh, kw, cin, size], () => {
    const values = new Float32Array(size * size);
    for (let i = 0; i < size; i++) values[i * size + i] = 1;
    return values;
  });
}

export const conv2DBackpropFilter = conv2DBackpropFilterImpl as unknown as tf.KernelFunc;
