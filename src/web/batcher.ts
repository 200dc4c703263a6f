import * as tf from '@tensorflow/tfjs';

interface Pending {
  pixels: Float32Array;
  resolve: (probabilities: Float32Array) => void;
  reject: (err: unknown) => void;
}

/**
 * Gathers digits that arrive while the event loop is busy and runs them through the model as one
 * batch (one predict call per turn of the event loop, at most `maxBatch` digits). Concurrent
 * requests then share a forward pass, which is several times cheaper per digit than one each.
 */
export class PredictionBatcher {
  private queue: Pending[] = [];
  private scheduled = false;
  private readonly inputShape: number[]; // one digit's shape, e.g. [28, 28, 1]

  constructor(
    private readonly model: tf.LayersModel,
    private readonly maxBatch = 64,
  ) {
    this.inputShape = model.inputs[0].shape.slice(1).map((d) => d ?? 1);
  }

  /** Class probabilities of one 28x28 digit ([784] in [0,1]) -> [10]. */
  predict(pixels: Float32Array): Promise<Float32Array> {
    return new Promise((resolve, reject) => {
      this.queue.push({ pixels, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Runs everything queued now (called before the model is disposed). */
  private drain(): void {
    while (this.queue.length > 0) this.runBatch();
  }

  /** Runs what is queued, then frees the model. */
  dispose(): void {
    this.drain();
    this.model.dispose();
  }

  private flush(): void {
    this.scheduled = false;
    this.drain();
  }

  private runBatch(): void {
    const batch = this.queue.splice(0, this.maxBatch);
    const size = 784;
    try {
      const input = new Float32Array(batch.length * size);
      batch.forEach((p, i) => input.set(p.pixels, i * size));
      const probs = tf.tidy(() => {
        const x = tf.tensor(input, [batch.length, ...this.inputShape]); // [n, 28, 28, 1]
        return this.model.predict(x) as tf.Tensor; // [n, 10]
      });
      const values = probs.dataSync() as Float32Array;
      probs.dispose();
      const classes = values.length / batch.length;
      batch.forEach((p, i) => p.resolve(values.slice(i * classes, (i + 1) * classes)));
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }
}
