import * as tf from '@tensorflow/tfjs';
import { Info } from './wasm-ops';

type KernelArgs = { inputs: tf.NamedTensorInfoMap; backend: tf.KernelBackend; attrs?: tf.NamedAttrMap };

/**
 * Identity for the wasm backend that shares the input's data (reference counted, as the cpu
 * backend and the wasm Reshape kernel do) instead of copying it. TF.js clones every tensor it
 * saves for a backward pass, so the stock copy costs ~40 copies per CNN training step and
 * ~1,400 per LSTM step. Tensor data is never written in place, so sharing is safe.
 */
export function makeIdentity(stock: tf.KernelFunc): tf.KernelFunc {
  return ((args: KernelArgs): Info => {
    const { x } = args.inputs as { x: Info };
    if (x.dtype === 'string') return stock(args) as Info;
    args.backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  }) as unknown as tf.KernelFunc;
}
