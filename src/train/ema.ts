/**
 * An exponential moving average of a model's trainable weights, like Keras' `use_ema`, with the
 * warm-up of TF's ExponentialMovingAverage (its `num_updates`): after every optimizer step,
 *   average = d * average + (1 - d) * weights,   d = min(decay, (1 + steps) / (10 + steps)),
 * so the random start weighs little after the first hundred steps. Batch-norm statistics are not
 * averaged (they already are moving averages). Training always continues from the trained weights;
 * the averaged ones are swapped in only to evaluate, snapshot or keep.
 */
import * as tf from '@tensorflow/tfjs';

export interface WeightAverage {
  /** Folds the model's current trainable weights into the average (call after every step). */
  update(): void;
  /** Puts the averaged weights into the model and keeps the trained ones aside. */
  swapIn(): void;
  /** Puts the trained weights back (after swapIn). */
  swapOut(): void;
  dispose(): void;
  /** The steps folded in and the averages themselves (not copies), for a checkpoint. */
  state(): { steps: number; averages: tf.Tensor[] };
  /** Goes on from a checkpoint's state (the averages are copied in). */
  restore(steps: number, averages: tf.Tensor[]): void;
}

/**
 * Starts an average at the model's current weights.
 * @example
 * const average = weightAverage(model, 0.999);
 * // after each optimizer step: average.update();
 * average.swapIn(); evaluateModel(model); average.swapOut();
 */
export function weightAverage(model: tf.LayersModel, decay: number): WeightAverage {
  const weights = model.trainableWeights;
  const averages = weights.map((w) => tf.variable(w.read(), false));
  let steps = 0;
  let trained: tf.Tensor[] | null = null;
  return {
    update() {
      steps += 1;
      const d = Math.min(decay, (1 + steps) / (10 + steps));
      tf.tidy(() => averages.forEach((a, i) => a.assign(a.mul(d).add(weights[i].read().mul(1 - d)))));
    },
    swapIn() {
      if (trained) return;
      trained = weights.map((w) => w.read().clone());
      weights.forEach((w, i) => w.write(averages[i]));
    },
    swapOut() {
      if (!trained) return;
      const kept = trained;
      weights.forEach((w, i) => w.write(kept[i]));
      kept.forEach((t) => t.dispose());
      trained = null;
    },
    dispose() {
      trained?.forEach((t) => t.dispose());
      averages.forEach((a) => a.dispose());
    },
    state() {
      return { steps, averages };
    },
    restore(savedSteps, saved) {
      if (saved.length !== averages.length) throw new Error(`weightAverage.restore: ${saved.length} averages for ${averages.length} weights`);
      steps = savedSteps;
      averages.forEach((a, i) => a.assign(saved[i]));
    },
  };
}
