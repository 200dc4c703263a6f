/** Pixel and label statistics of a DigitSet, computed on the raw bytes (no tensors). */
import type { DigitSet } from '../data';

/** One class's share of a set. */
export interface ClassCount {
  label: number; // 0..9
  count: number;
  fraction: number; // count / set size
}

/**
 * How many digits of each class the set holds.
 * @example classCounts(mnist.train)[1].count // 6742
 */
export function classCounts(set: DigitSet): ClassCount[] {
  const counts = new Array<number>(10).fill(0);
  for (let i = 0; i < set.count; i++) counts[set.labels[i]]++;
  return counts.map((count, label) => ({ label, count, fraction: set.count ? count / set.count : 0 }));
}

/**
 * The average digit: per-pixel mean over the set (or over one class), as bytes 0..255, rows x cols.
 * @example tileDigitsPng([meanImage(mnist.train)], 1, 28, 28, { scale: 4 })
 */
export function meanImage(set: DigitSet, label?: number): Uint8Array {
  const size = set.rows * set.cols;
  const sums = new Float64Array(size);
  let n = 0;
  for (let i = 0; i < set.count; i++) {
    if (label !== undefined && set.labels[i] !== label) continue;
    const offset = i * size;
    for (let p = 0; p < size; p++) sums[p] += set.images[offset + p];
    n++;
  }
  return Uint8Array.from(sums, (s) => (n ? Math.round(s / n) : 0));
}

/** Ink statistics of one class. */
export interface ClassIntensity {
  label: number;
  meanIntensity: number; // mean pixel value over the class's images, in [0, 1]
  inkFraction: number; // share of pixels above half intensity, in [0, 1]
}

/**
 * Mean pixel intensity and share of inked pixels per class (a "1" uses far less ink than an "8").
 * @example classIntensity(mnist.train).map((c) => c.meanIntensity.toFixed(3))
 */
export function classIntensity(set: DigitSet): ClassIntensity[] {
  const size = set.rows * set.cols;
  const sum = new Float64Array(10);
  const ink = new Float64Array(10);
  const images = new Float64Array(10);
  for (let i = 0; i < set.count; i++) {
    const label = set.labels[i];
    const offset = i * size;
    let s = 0;
    let inked = 0;
    for (let p = 0; p < size; p++) {
      const v = set.images[offset + p];
      s += v;
      if (v > 127) inked++;
    }
    sum[label] += s;
    ink[label] += inked;
    images[label]++;
  }
  return Array.from({ length: 10 }, (_, label) => ({
    label,
    meanIntensity: images[label] ? sum[label] / (images[label] * size * 255) : 0,
    inkFraction: images[label] ? ink[label] / (images[label] * size) : 0,
  }));
}
