/**
 * A small seeded PRNG (mulberry32: 32-bit state, period 2^32, good enough for shuffles and
 * augmentation parameters, not for cryptography). The same seed gives the same sequence on every
 * platform, which is what makes splits and augmentation reproducible.
 * Shared by config (random search), data (splits, augmentation) and train (shuffling).
 */

/** A seeded generator: each call returns a float in [0, 1). */
export type Rng = () => number;

/** A seeded generator whose position can be saved and resumed (a training checkpoint keeps it). */
export type SeededRng = Rng & {
  /** The 32-bit state: resumeRng(rng.state()) goes on with exactly the numbers this one would give next. */
  state(): number;
};

/**
 * Creates a seeded generator.
 * @example const rng = createRng(42); rng(); // 0.4813...
 */
export function createRng(seed: number): SeededRng {
  return resumeRng((Math.floor(seed) ^ 0x9e3779b9) >>> 0);
}

/**
 * The generator at a saved state (from `state()`).
 * @example const again = resumeRng(rng.state()); again() === rng(); // true
 */
export function resumeRng(savedState: number): SeededRng {
  let state = savedState >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Object.assign(next, { state: () => state });
}

/** Uniform in [lo, hi). */
export function uniform(rng: Rng, lo: number, hi: number): number {
  return lo + (hi - lo) * rng();
}

/** Shuffles `items` in place (Fisher-Yates) and returns it. */
export function shuffleInPlace<T extends { length: number; [index: number]: unknown }>(items: T, rng: Rng): T {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const tmp = items[i];
    items[i] = items[j];
    items[j] = tmp;
  }
  return items;
}
