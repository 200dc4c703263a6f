import * as tf from '@tensorflow/tfjs';

/**
 * Class probabilities of every image, predicted in batches (inference mode: no dropout, batch
 * norm uses its moving statistics). xs [N, 28, 28, 1] -> Float32Array [N*10].
 */
export function predictProbs(model: tf.LayersModel, xs: tf.Tensor4D, batchSize = 500): Float32Array {
  const n = xs.shape[0];
  const out = new Float32Array(n * 10);
  for (let start = 0; start < n; start += batchSize) {
    const size = Math.min(batchSize, n - start);
    const probs = tf.tidy(() => model.predict(xs.slice([start, 0, 0, 0], [size, -1, -1, -1])) as tf.Tensor);
    out.set(probs.dataSync(), start * 10);
    probs.dispose();
  }
  return out;
}
