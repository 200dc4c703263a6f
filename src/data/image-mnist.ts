/**
 * MNIST-style normalisation of a grayscale picture of one digit, as LeCun et al. describe it:
 * the digit is size-normalised to fit a 20x20 box keeping its aspect ratio (anti-aliased, grey
 * levels kept), then placed in a 28x28 field so that its centre of mass is at the centre.
 * Pure functions over Float32Arrays; no I/O.
 */
import { STROKE_BOX, strokeCorrection, strokeWidth, thickenOrThin } from './image-stroke';
import type { InkImage } from './image-ink';

export type { InkImage } from './image-ink';
export { grayToInk } from './image-ink';

export const DIGIT_SIDE = 28;
const BOX_SIDE = 20;
/** MNIST's centre of mass lands on pixel index 14 (measured over the test set: 14.00, 13.99). */
const CENTRE = 14;
/** Smallest rectangle holding every non-zero pixel, or null when there is none. */
export function inkBoundingBox(img: InkImage): { x: number; y: number; width: number; height: number } | null {
  let x0 = img.width, y0 = img.height, x1 = -1, y1 = -1;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      if (img.ink[y * img.width + x] > 0) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/**
 * MNIST preprocessing of ink: crop to the ink's bounding box, bring the stroke width into MNIST's
 * range (image-stroke.ts; digits already in it are untouched), scale to fit 20x20 keeping the aspect
 * ratio, place in 28x28 with the centre of mass at the centre.
 * @returns [784] row-major, values in [0,1], white ink on black like MNIST
 */
export function normalizeDigit(img: InkImage): Float32Array {
  const box = inkBoundingBox(img);
  const out = new Float32Array(DIGIT_SIDE * DIGIT_SIDE);
  if (!box) return out;
  const patch = fitBox(strokeNormalised(crop(img, box)), BOX_SIDE);
  const { cx, cy } = centreOfMass(patch);
  const { width: w, height: h } = patch;
  const ox = clamp(Math.round(CENTRE - cx), 0, DIGIT_SIDE - w);
  const oy = clamp(Math.round(CENTRE - cy), 0, DIGIT_SIDE - h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[(y + oy) * DIGIT_SIDE + x + ox] = patch.ink[y * w + x];
  }
  return out;
}

/** The cropped digit with its strokes thickened or thinned toward MNIST's width, re-cropped; or itself. */
function strokeNormalised(cropped: InkImage): InkImage {
  const large = fitBox(cropped, STROKE_BOX);
  const radius = strokeCorrection(strokeWidth(large));
  if (radius === 0) return cropped;
  const changed = thickenOrThin(large, radius);
  const box = inkBoundingBox(changed);
  return box ? crop(changed, box) : cropped;
}

/** Scaled (anti-aliased) so the longer side is `side` pixels, keeping the aspect ratio. */
function fitBox(img: InkImage, side: number): InkImage {
  const scale = side / Math.max(img.width, img.height);
  return resample(img, Math.max(1, Math.round(img.width * scale)), Math.max(1, Math.round(img.height * scale)));
}

/** Intensity-weighted centre of the ink, in pixel-index coordinates. */
export function centreOfMass(img: InkImage): { cx: number; cy: number } {
  let mass = 0, sx = 0, sy = 0;
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const v = img.ink[y * img.width + x];
      mass += v;
      sx += v * x;
      sy += v * y;
    }
  }
  return mass > 0 ? { cx: sx / mass, cy: sy / mass } : { cx: (img.width - 1) / 2, cy: (img.height - 1) / 2 };
}

/**
 * Anti-aliased separable resampling with a triangle filter widened by the shrink factor (area-like
 * averaging when shrinking, bilinear when enlarging, identity at scale 1).
 */
export function resample(img: InkImage, width: number, height: number): InkImage {
  const rows = new Float32Array(width * img.height); // [img.height, width]
  const wx = filterWeights(img.width, width);
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (const [i, w] of wx[x]) s += w * img.ink[y * img.width + i];
      rows[y * width + x] = s;
    }
  }
  const out = new Float32Array(width * height); // [height, width]
  const wy = filterWeights(img.height, height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let s = 0;
      for (const [i, w] of wy[y]) s += w * rows[i * width + x];
      out[y * width + x] = Math.min(1, Math.max(0, s));
    }
  }
  return { ink: out, width, height };
}

/** For each output index, the input indices and normalised triangle-filter weights. */
function filterWeights(inSize: number, outSize: number): Array<Array<[number, number]>> {
  const scale = outSize / inSize;
  const support = Math.max(1, 1 / scale);
  const table: Array<Array<[number, number]>> = [];
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) / scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inSize - 1, Math.ceil(centre + support));
    const taps: Array<[number, number]> = [];
    let total = 0;
    for (let i = lo; i <= hi; i++) {
      const w = Math.max(0, 1 - Math.abs(i + 0.5 - centre) / support);
      if (w > 0) {
        taps.push([i, w]);
        total += w;
      }
    }
    if (total === 0) {
      table.push([[clamp(Math.floor(centre), 0, inSize - 1), 1]]);
      continue;
    }
    table.push(taps.map(([i, w]) => [i, w / total]));
  }
  return table;
}

function crop(img: InkImage, box: { x: number; y: number; width: number; height: number }): InkImage {
  const ink = new Float32Array(box.width * box.height);
  for (let y = 0; y < box.height; y++) {
    const from = (box.y + y) * img.width + box.x;
    ink.set(img.ink.subarray(from, from + box.width), y * box.width);
  }
  return { ink, width: box.width, height: box.height };
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
