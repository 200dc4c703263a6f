import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/**
 * Chooses the TF.js backend for prediction. Call it only from entry points (CLI commands, bench).
 * Temporary stand-in until src/engine's selectBackend() lands: inference needs none of the
 * project's gradient kernels, and the stock wasm backend predicts a CNN ~7x faster than cpu here
 * (measured 1.6 vs 11 ms for one digit). `DIGITS_BACKEND=cpu` forces the pure-JS backend.
 */
export async function useInferenceBackend(preferred = process.env.DIGITS_BACKEND): Promise<string> {
  const order = preferred === 'cpu' ? ['cpu'] : ['wasm', 'cpu'];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return name;
      }
    } catch {
      // try the next backend
    }
  }
  return tf.getBackend();
}
