import * as tf from '@tensorflow/tfjs';
import { makeBatchMatMul } from './batch-mat-mul';
import { makeExplicitPadConv } from './conv2d';
import { makeIdentity } from './identity';
import { conv2DBackpropFilter } from './conv2d-backprop-filter';
import { makeConv2DBackpropInput } from './conv2d-backprop-input';
import { maxPoolGrad } from './max-pool-grad';
import { MEAN_GRADIENT } from './mean-grad';
import { makeMean, makeSum } from './sum';
import { makeTile } from './tile';

/** Kernels written here outright: missing on wasm (training a CNN fails without it) or wrong there. */
const OWN: Record<string, tf.KernelFunc> = {
  [tf.Conv2DBackpropFilter]: conv2DBackpropFilter,
  [tf.MaxPoolGrad]: maxPoolGrad,
};

/** Stock wasm kernels wrapped to be faster or correct; the wrappers call the stock one for the rest. */
const WRAPPED: Record<string, (stock: tf.KernelFunc) => tf.KernelFunc> = {
  [tf.Conv2D]: makeExplicitPadConv,
  [tf.FusedConv2D]: makeExplicitPadConv,
  [tf.Conv2DBackpropInput]: makeConv2DBackpropInput,
  [tf.BatchMatMul]: makeBatchMatMul,
  [tf.Sum]: makeSum,
  [tf.Mean]: makeMean,
  [tf.Identity]: makeIdentity,
  [tf.Tile]: makeTile,
};

/** Marks configs registered here, so a second call (or a second copy of this module) is a no-op. */
const MARK = 'digitLabKernel';

/** Names of the wasm kernels this project registers (added or replaced). */
export const WASM_KERNELS: readonly string[] = [...Object.keys(OWN), ...Object.keys(WRAPPED)];

/**
 * Registers the project's kernels for the wasm backend, all built on the backend's own XNNPACK /
 * bulk kernels: the missing Conv2DBackpropFilter; a correct and faster MaxPoolGrad; faster
 * Conv2DBackpropInput, BatchMatMul (transposed operands), Sum and Mean (leading axes), Identity (no
 * copy) and Tile (block copies); Conv2D / FusedConv2D fixed for 'same' shapes XNNPACK's TF-SAME mode gets wrong. Idempotent.
 * Also replaces Mean's gradient (for every backend: the values are the same) by one that broadcasts
 * with Tile instead of multiplying by a tensor of ones built in JavaScript.
 * Called by selectBackend when it picks wasm; notebooks need not call it themselves.
 *
 * @example
 *   registerWasmGradients();
 *   await tf.setBackend('wasm');
 */
export function registerWasmGradients(): void {
  // Importing the wasm package registers its stock kernels; ours must replace them, not vice versa.
  require('@tensorflow/tfjs-backend-wasm');
  tf.registerGradient(MEAN_GRADIENT);
  for (const [kernelName, kernelFunc] of Object.entries(OWN)) {
    if (isOurs(kernelName)) continue;
    if (tf.getKernel(kernelName, 'wasm') != null) tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ kernelName, backendName: 'wasm', kernelFunc, [MARK]: true } as tf.KernelConfig);
  }
  for (const [kernelName, wrap] of Object.entries(WRAPPED)) {
    if (isOurs(kernelName)) continue;
    const stock = tf.getKernel(kernelName, 'wasm');
    if (stock == null) throw new Error(`tfjs-backend-wasm has no '${kernelName}' kernel to speed up`);
    tf.unregisterKernel(kernelName, 'wasm');
    tf.registerKernel({ ...stock, kernelFunc: wrap(stock.kernelFunc), [MARK]: true } as tf.KernelConfig);
  }
}

function isOurs(kernelName: string): boolean {
  const config = tf.getKernel(kernelName, 'wasm') as (tf.KernelConfig & { [MARK]?: boolean }) | undefined;
  return config?.[MARK] === true;
}
