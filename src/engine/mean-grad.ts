import * as tf from '@tensorflow/tfjs';

/**
 * The gradient of Mean, without the full-size tensor of ones TF.js's own builds: it fills
 * ones(x.shape) in JavaScript (a 3.2 MB array for a [32, 28, 28, 32] activation, twice per
 * batch-norm layer and step), uploads it and multiplies by it. In a cnn-strided replica run that
 * fill alone was 3.5% of the main thread, and the discarded buffers kept V8's collector threads
 * at about a quarter of a core. Here dy / n is broadcast with Tile instead. The values are the
 * same bit for bit: (dy * 1) / n is dy / n.
 */
export const MEAN_GRADIENT: tf.GradConfig = {
  kernelName: tf.Mean,
  inputsToSave: ['x'],
  gradFunc: (dy, saved, attrs) => {
    const [x] = saved;
    const { axis } = attrs as unknown as tf.MeanAttrs;
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const [outShape, reduceShape] = tf.backend_util.computeOutAndReduceShapes(x.shape, axes);
    const kept = tf.backend_util.expandShapeToKeepDim(outShape, axes);
    const n = tf.util.sizeFromShape(reduceShape);
    return { x: () => tf.broadcastTo(tf.div(tf.reshape(dy as tf.Tensor, kept), n), x.shape) };
  },
};
