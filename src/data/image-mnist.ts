/**
 * MNIST-style normalisation of a grayscale picture of one digit, as LeCun et al. describe it:
 * the digit is size-normalised to fit a 20x20 box keeping its aspect ratio (anti-aliased, grey
 * levels kept), then placed in a 28x28 field so that its centre of mass is at the centre.
 * Pure functions over Float32Arrays; no I/O.
 */
import { ImageError } from './image-decode';

export const DIGIT_SIDE = 28;
const BOX_SIDE = 20;
/** MNIST's centre of mass lands on pixel index 14 (measured over the test set: 14.00, 13.99). */
const CENTRE = 14;
/** The strongest ink must stand out from the background by this much (of the full range). */
const MIN_CONTRAST = 0.12;

/** Ink intensity in [0,1] (0 = background), row-major, with its size. */
export interface InkImage {
  ink: Float32Array;
  width: number;
  height: number;
}

/**
 * Turns luminance (0 black .. 1 white) into ink (0 background .. 1 strongest stroke). The background
 * is the median of the border pixels: light backgrounds are inverted. Background noise (estimated
 * from the border's spread) is zeroed and the contrast is stretched so the strongest ink is 1; the
 * grey levels in between are kept (no thresholding).
 * @throws ImageError('blank') when nothing stands out from the background
 */
export function grayToInk(gray: Float32Array, width: number, height: number, name = 'image'): InkImage {
  const border = borderValues(gray, width, height);
  const background = median(border);
  const invert = background > 0.5;
  const bg = invert ? 1 - background : background;
  const deviations = border.map((v) => Math.abs((invert ? 1 - v : v) - bg)).sort((a, b) => a - b);
  const noise = deviations[Math.floor(deviations.length * 0.95)] ?? 0;
  const floor = Math.max(2 * noise, 0.5 / 255);
  const ink = new Float32Array(gray.length);
  let peak = 0;
  for (let i = 0; i < gray.length; i++) {
    const v = (invert ? 1 - gray[i] : gray[i]) - bg;
    ink[i] = v > floor ? v : 0;
    if (ink[i] > peak) peak = ink[i];
  }
  if (peak < MIN_CONTRAST) {
    throw new ImageError(
      'blank',
      `${name}: no digit found (the image is blank: nothing differs from the ${invert ? 'light' : 'dark'} background by more than ${Math.round(MIN_CONTRAST * 100)}%); draw or photograph a digit with clear strokes`,
    );
  }
  for (let i = 0; i < ink.length; i++) ink[i] /= peak;
  return { ink, width, height };
}

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
 * MNIST preprocessing of ink: crop to the ink's bounding box, scale to fit 20x20 keeping the aspect
 * ratio, place in 28x28 with the centre of mass at the centre.
 * @returns [784] row-major, values in [0,1], white ink on black like MNIST
 */
export function normalizeDigit(img: InkImage): Float32Array {
  const box = inkBoundingBox(img);
  const out = new Float32Array(DIGIT_SIDE * DIGIT_SIDE);
  if (!box) return out;
  const cropped = crop(img, box);
  const scale = BOX_SIDE / Math.max(box.width, box.height);
  const w = Math.max(1, Math.round(box.width * scale));
  const h = Math.max(1, Math.round(box.height * scale));
  const patch = resample(cropped, w, h);
  const { cx, cy } = centreOfMass(patch);
  const ox = clamp(Math.round(CENTRE - cx), 0, DIGIT_SIDE - w);
  const oy = clamp(Math.round(CENTRE - cy), 0, DIGIT_SIDE - h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) out[(y + oy) * DIGIT_SIDE + x + ox] = patch.ink[y * w + x];
  }
  return out;
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

function borderValues(gray: Float32Array, width: number, height: number): number[] {
  const t = Math.max(1, Math.round(Math.min(width, height) * 0.02));
  const values: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (x < t || y < t || x >= width - t || y >= height - t) values.push(gray[y * width + x]);
    }
  }
  return values;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}
