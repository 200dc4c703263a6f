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
 * With a stride, three quarters (at stride 2) of that convolution multiply inserted zeros, so
 * where the shapes allow, `byPhases` computes the same result without them.
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
    if (sh > 1 || sw > 1) {
      const dx = byPhases(backend, dy, filter, info);
      if (dx !== null) return dx;
    }

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

/** One output phase along one axis: which taps of the kernel reach it, and the padding of dy. */
interface Phase {
  first: number; // the first kernel tap (r), then every stride-th one
  taps: number; // M
  padBefore: number;
  padAfter: number;
}

/**
 * The rows i = s*a + b of dx (one b, every a) take kernel taps k = r + s*m only, r = (b + p) mod s:
 *   dx[s*a + b] = sum over m of dy[a + c - m] * W[r + s*m],   c = floor((b + p) / s)
 * a stride-1 convolution of dy (padded by M-1-c before, c+A-OH after) with those taps reversed.
 */
function phasesOf(size: number, kernel: number, stride: number, padBefore: number, outSize: number): Phase[] | null {
  const rows = size / stride; // A: rows of dx in each phase
  const phases: Phase[] = [];
  for (let b = 0; b < stride; b++) {
    const first = (b + padBefore) % stride;
    const c = Math.floor((b + padBefore) / stride);
    const taps = Math.ceil((kernel - first) / stride);
    const phase = { first, taps, padBefore: taps - 1 - c, padAfter: c + rows - outSize };
    if (taps < 1 || phase.padBefore < 0 || phase.padAfter < 0) return null;
    phases.push(phase);
  }
  return phases;
}

/**
 * Conv2DBackpropInput of a strided convolution as stride x stride small stride-1 convolutions,
 * one per phase of dx (row mod sh, column mod sw), then interleaved: no multiplications
 * by inserted zeros. Null where dx's size is not a multiple of the stride or a phase has no taps
 * (the caller then takes the zero-insertion route).
 */
function byPhases(backend: Backend, dy: Info, filter: Info, info: tf.backend_util.Conv2DInfo): Info | null {
  const { inHeight: h, inWidth: w, strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw } = info;
  if (h % sh !== 0 || w % sw !== 0) return null;
  const rowPhases = phasesOf(h, kh, sh, info.padInfo.top, info.outHeight);
  const colPhases = phasesOf(w, kw, sw, info.padInfo.left, info.outWidth);
  if (rowPhases === null || colPhases === null) return null;
  const [n, , , cout] = dy.shape;
  const cin = info.inChannels;
  const weights = backend.readSync(filter.dataId) as Float32Array; // [KH, KW, Cin, Cout]
  const wasm = backend as unknown as WasmHeap;
  const parts: Info[] = [];
  for (const ph of rowPhases) {
    for (const pw of colPhases) {
      // [M_h, M_w, Cout, Cin]: the phase's taps, reversed, with in/out channels swapped.
      const taps = new Float32Array(ph.taps * pw.taps * cout * cin);
      let at = 0;
      for (let th = 0; th < ph.taps; th++) {
        const kRow = ph.first + sh * (ph.taps - 1 - th);
        for (let tw = 0; tw < pw.taps; tw++) {
          const kCol = pw.first + sw * (pw.taps - 1 - tw);
          const base = (kRow * kw + kCol) * cin * cout;
          for (let co = 0; co < cout; co++) for (let ci = 0; ci < cin; ci++) taps[at++] = weights[base + ci * cout + co];
        }
      }
      const phaseFilter = wasm.makeOutput([ph.taps, pw.taps, cout, cin], 'float32', undefined, taps);
      parts.push(conv2d(backend, dy, phaseFilter, [1, 1], [1, 1], [[ph.padBefore, ph.padAfter], [pw.padBefore, pw.padAfter]]));
      release(backend, phaseFilter);
    }
  }
  const dx = interleave(backend, parts, [n, h, w, cin], sh, sw);
  release(backend, ...parts);
  return dx;
}

type WasmHeap = {
  makeOutput(shape: number[], dtype: 'float32', offset?: number, values?: Float32Array): Info;
  typedArrayFromHeap(x: Info): Float32Array;
};

/**
 * dx[n, sh*a + bh, sw*a' + bw, :] = parts[bh*sw + bw][n, a, a', :], copied on the wasm heap
 * (for a [64, 24, 24, 32] dx the wasm Transpose kernel took 177 ms as a 5-d transpose; this copy
 * took 4-13 ms on a machine busy with two trainings).
 */
function interleave(backend: Backend, parts: Info[], shape: [number, number, number, number], sh: number, sw: number): Info {
  const [n, h, w, c] = shape;
  const heap = backend as unknown as WasmHeap;
  const out = heap.makeOutput(shape, 'float32');
  const dst = heap.typedArrayFromHeap(out); // views taken after the last allocation
  const [rows, cols] = [h / sh, w / sw];
  parts.forEach((part, p) => {
    const src = heap.typedArrayFromHeap(part);
    const [bh, bw] = [Math.floor(p / sw), p % sw];
    for (let i = 0; i < n * rows; i++) {
      const [img, a] = [Math.floor(i / rows), i % rows];
      const rowStart = ((img * h + a * sh + bh) * w + bw) * c;
      for (let j = 0; j < cols; j++) {
        const from = (i * cols + j) * c;
        dst.set(src.subarray(from, from + c), rowStart + j * sw * c);
      }
    }
  });
  return out;
}
