import * as tf from '@tensorflow/tfjs';

/**
 * Thin wrappers that run the wasm backend's OWN registered kernels (XNNPACK convolution, matmul,
 * transpose, ...) from inside another kernel. Kernels must not call tf ops (that would record
 * them on the gradient tape and allocate engine tensors), so the project's gradient kernels are
 * built from these: every intermediate is a backend TensorInfo that the caller frees with
 * `release`.
 */

export type Backend = tf.KernelBackend;
export type Info = tf.TensorInfo;
type Attrs = tf.NamedAttrMap;

export function run(backend: Backend, kernelName: string, inputs: tf.NamedTensorInfoMap, attrs: Attrs): Info {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel == null) throw new Error(`wasm backend has no '${kernelName}' kernel`);
  return kernel.kernelFunc({ inputs, backend, attrs }) as Info;
}

/** Frees backend data of intermediate results (never of the kernel's own inputs). */
export function release(backend: Backend, ...infos: Info[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

/** Permutes axes (wasm Transpose kernel). */
export function transpose(backend: Backend, x: Info, perm: number[]): Info {
  return run(backend, 'Transpose', { x }, { perm });
}

/** Crops `x` to `size` starting at `begin` (wasm Slice kernel). */
export function slice(backend: Backend, x: Info, begin: number[], size: number[]): Info {
  return run(backend, 'Slice', { x }, { begin, size });
}

/** Reverses `x` along `dims` (wasm Reverse kernel). */
export function reverse(backend: Backend, x: Info, dims: number[]): Info {
  return run(backend, 'Reverse', { x }, { dims });
}

/** Changes the shape without copying (wasm Reshape kernel; shares the data, counted). */
export function reshape(backend: Backend, x: Info, shape: number[]): Info {
  return run(backend, 'Reshape', { x }, { shape });
}

/** Pads with a constant (wasm PadV2 kernel). */
export function pad(backend: Backend, x: Info, paddings: Array<[number, number]>, constantValue = 0): Info {
  return run(backend, 'PadV2', { x }, { paddings, constantValue } as unknown as Attrs);
}

/** Elementwise product with broadcasting (wasm Multiply kernel). */
export function multiply(backend: Backend, a: Info, b: Info): Info {
  return run(backend, 'Multiply', { a, b }, {});
}

/** Index of the first maximum along `axis` (wasm ArgMax kernel), int32. */
export function argMax(backend: Backend, x: Info, axis: number): Info {
  return run(backend, 'ArgMax', { x }, { axis });
}

/** One-hot rows of length `depth` for int32 `indices` (wasm OneHot kernel; int32 whatever dtype says). */
export function oneHot(backend: Backend, indices: Info, depth: number): Info {
  return run(backend, 'OneHot', { indices }, { depth, onValue: 1, offValue: 0, dtype: 'int32' });
}

/** Converts to another dtype (wasm Cast kernel). */
export function cast(backend: Backend, x: Info, dtype: tf.DataType): Info {
  return run(backend, 'Cast', { x }, { dtype });
}

/** Nearest-neighbour upscaling of NHWC images to `size` (wasm ResizeNearestNeighbor kernel). */
export function resizeNearest(backend: Backend, images: Info, size: [number, number]): Info {
  return run(backend, 'ResizeNearestNeighbor', { images }, { size, alignCorners: false, halfPixelCenters: false });
}

/** Average pooling of NHWC `x` over `filterSize` windows, stride 1, no padding (wasm AvgPool, XNNPACK). */
export function avgPool(backend: Backend, x: Info, filterSize: [number, number]): Info {
  return run(backend, 'AvgPool', { x }, { filterSize, strides: 1, pad: 'valid' } as unknown as Attrs);
}

/** Multiplies by a scalar (wasm Multiply with a one-element tensor). */
export function scale(backend: Backend, x: Info, factor: number): Info {
  const wasm = backend as unknown as { makeOutput(shape: number[], dtype: 'float32', offset?: number, values?: Float32Array): Info };
  const factorInfo = wasm.makeOutput([], 'float32', undefined, Float32Array.of(factor));
  const out = multiply(backend, x, factorInfo);
  release(backend, factorInfo);
  return out;
}

/** Matrix product of rank-2 operands without transposes (XNNPACK through wasm BatchMatMul). */
export function matMul(backend: Backend, a: Info, b: Info): Info {
  return run(backend, 'BatchMatMul', { a, b }, { transposeA: false, transposeB: false });
}

/** NHWC convolution through XNNPACK with explicit padding [[top, bottom], [left, right]]. */
export function conv2d(
  backend: Backend,
  x: Info,
  filter: Info,
  strides: [number, number],
  dilations: [number, number],
  pads: [[number, number], [number, number]],
): Info {
  const pad = [[0, 0], pads[0], pads[1], [0, 0]] as tf.backend_util.ExplicitPadding;
  return run(backend, 'Conv2D', { x, filter }, {
    strides,
    dilations,
    pad,
    dataFormat: 'NHWC',
    dimRoundingMode: undefined as unknown as string,
  } as unknown as Attrs);
}

/** Elementwise a - b (wasm Sub kernel). */
export function subtract(backend: Backend, a: Info, b: Info): Info {
  return run(backend, 'Sub', { a, b }, {});
}

/** 1 where x > 0, else 0, float (wasm Step kernel). */
export function step(backend: Backend, x: Info): Info {
  return run(backend, 'Step', { x }, { alpha: 0 });
}

/** Joins tensors along `axis` (wasm Concat kernel; one copy per outer index, so keep axis 0). */
export function concat(backend: Backend, xs: Info[], axis: number): Info {
  return run(backend, 'Concat', xs as unknown as tf.NamedTensorInfoMap, { axis });
}

/**
 * Row `index` of a rank-2 float32 `x` as [1, columns], by one copy on the wasm heap (the wasm
 * Slice kernel first copies ALL of x through readSync: 4x slower for a quarter).
 */
export function row(backend: Backend, x: Info, index: number): Info {
  const wasm = backend as unknown as {
    makeOutput(shape: number[], dtype: tf.DataType): Info;
    typedArrayFromHeap(x: Info): Float32Array;
  };
  const columns = x.shape[1];
  const out = wasm.makeOutput([1, columns], x.dtype);
  wasm.typedArrayFromHeap(out).set(wasm.typedArrayFromHeap(x).subarray(index * columns, (index + 1) * columns));
  return out;
}

/** Constant float32 tensors kept per backend and key (XNNPACK packs a reused filter only once). */
const constants = new WeakMap<Backend, Map<string, Info>>();

/** The backend's cached constant for `key`, made once from `values()` with the given shape. */
export function cachedConstant(backend: Backend, key: string, shape: number[], values: () => Float32Array): Info {
  let cache = constants.get(backend);
  if (cache == null) constants.set(backend, (cache = new Map()));
  let info = cache.get(key);
  if (info == null) {
    const wasm = backend as unknown as { makeOutput(shape: number[], dtype: 'float32', offset?: number, values?: Float32Array): Info };
    info = wasm.makeOutput(shape, 'float32', undefined, values());
    cache.set(key, info);
  }
  return info;
}
