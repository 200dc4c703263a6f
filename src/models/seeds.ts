import * as tf from '@tensorflow/tfjs';

/**
 * Hands out one distinct seed per initializer, in layer order, so the same model seed always gives
 * the same initial weights. Without a base seed the initializers are left unseeded (random).
 */
export class SeedSequence {
  private next: number;

  constructor(private readonly base?: number) {
    this.next = 0;
  }

  /** The next seed, or undefined when the model is unseeded. */
  take(): number | undefined {
    if (this.base === undefined) return undefined;
    this.next += 1;
    return this.base * 1000 + this.next;
  }

  glorot(): ReturnType<typeof tf.initializers.glorotUniform> {
    return tf.initializers.glorotUniform({ seed: this.take() });
  }
}
