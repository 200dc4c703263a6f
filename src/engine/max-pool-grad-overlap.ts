import * as tf from '@tensorflow/tfjs';
import { Backend, Info, argMax, cachedConstant, cast, conv2d, multiply, oneHot, pad, release, reshape, run, slice } from './wasm-ops';

/** Finite stand-in for -Infinity: padding must never win a window, and -Infinity * 0 would be NaN. */
const LOWEST = -3.4e38;

/**
 * MaxPoolGrad for overlapping windows (stride < window) on wasm. The stock kernel gets these wrong
 * once there is more than one channel, so they are computed exactly from XNNPACK convolutions:
 *   patches  = conv(x, E)              E copies window pixel q of channel c to channel c*k*k + q
 *   winner   = argMax over each window's k*k values (the FIRST maximum, as on cpu)
 *   dx       = conv2DBackpropInput(oneHot(winner) * dy, E)   scatters each dy to its winner
 * Its cost grows with channels squared, acceptable for a layer shape the project's models do not use.
 */
export function overlappingMaxPoolGrad(backend: Backend, dy: Info, input: Info, info: tf.backend_util.Conv2DInfo): Info {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, padInfo } = info;
  const [n, h, w, c] = input.shape;
  const { top, bottom, left, right } = padInfo;
  const padded = top + bottom + left + right > 0 ? pad(backend, input, [[0, 0], [top, bottom], [left, right], [0, 0]], LOWEST) : input;
  const filter = expandFilter(backend, kh, kw, c);
  const patches = conv2d(backend, padded, filter, [sh, sw], [1, 1], [[0, 0], [0, 0]]); // [N, OH, OW, C*KH*KW]
  const rows = n * info.outHeight * info.outWidth * c;
  const windows = reshape(backend, patches, [rows, kh * kw]);
  const winner = argMax(backend, windows, 1);
  const hotInt = oneHot(backend, winner, kh * kw);
  const hot = cast(backend, hotInt, 'float32');
  const dyColumn = reshape(backend, dy, [rows, 1]);
  const routed = multiply(backend, hot, dyColumn); // [rows, KH*KW]
  const routed4 = reshape(backend, routed, patches.shape);
  const dxPadded = run(backend, 'Conv2DBackpropInput', { dy: routed4, filter }, {
    strides: [sh, sw],
    pad: 'valid',
    dataFormat: 'NHWC',
    inputShape: padded.shape,
  } as unknown as tf.NamedAttrMap);
  const dx = dxPadded.shape[1] === h && dxPadded.shape[2] === w ? dxPadded : slice(backend, dxPadded, [0, top, left, 0], [n, h, w, c]);
  release(backend, patches, windows, winner, hotInt, hot, dyColumn, routed, routed4);
  if (padded !== input) release(backend, padded);
  if (dx !== dxPadded) release(backend, dxPadded);
  return dx;
}

/** The [KH, KW, C, C*KH*KW] filter E that spreads each window into channels (channel-major). */
function expandFilter(backend: Backend, kh: number, kw: number, c: number): Info {
  const window = kh * kw;
  const outChannels = c * window;
  return cachedConstant(backend, `expand ${kh}x${kw}x${c}`, [kh, kw, c, outChannels], () => {
    const values = new Float32Array(window * c * outChannels);
    for (let q = 0; q < window; q++) {
      for (let ch = 0; ch < c; ch++) values[(q * c + ch) * outChannels + ch * window + q] = 1;
    }
    return values;
  });
}
