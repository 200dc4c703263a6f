/**
 * Grayscale picture -> ink (0 background .. 1 strongest stroke), robust to what real pictures of
 * digits bring: ink that touches the border, uneven light, sensor noise, and specks or stray marks
 * beside the digit. Pure functions over Float32Arrays; no I/O.
 *
 * The steps, each chosen so that an MNIST digit (clean black background, one or a few strokes)
 * passes through unchanged:
 *   1. polarity from the histogram: the ink is the tail farther from the median (light or dark);
 *   2. noise level from neighbouring-pixel differences; a 3x3 median filter when it is high;
 *   3. background from a coarse grid of low percentiles: a plane fitted to the cells that hold no
 *      ink, used per pixel only when the light really varies (a tilt over 8%), else one level;
 *   4. connected components of what stands above the noise: the heaviest one is the digit; others
 *      stay when they are large, or moderately large and close to it (a detached bar of a 5).
 */
import { ImageError } from './image-decode';

/** Ink intensity in [0,1] (0 = background), row-major, with its size. */
export interface InkImage {
  ink: Float32Array;
  width: number;
  height: number;
}

/** The strongest ink must stand out from the background by this much (of the full range). */
const MIN_CONTRAST = 0.12;
/** Noise (standard deviation, of the full range) above which a median filter runs first. */
const DENOISE_ABOVE = 0.02;
/** Per-pixel background only when the fitted plane tilts by more than this across the image. */
const UNEVEN_ABOVE = 0.08;
/** Background grid: at most this many cells a side. */
const GRID = 16;
/** A component heavier than this share of the digit's main component is kept wherever it is. */
const KEEP_ANYWHERE = 0.2;
/** A component heavier than this share is kept when it lies near the main component. */
const KEEP_NEAR = 0.03;

/**
 * Turns luminance (0 black .. 1 white) into ink of the digit alone: background removed (per pixel
 * under uneven light), noise below ~4 standard deviations zeroed, specks and far small marks
 * dropped, contrast stretched so the strongest kept ink is 1; grey levels in between are kept.
 * @throws ImageError('blank') when nothing stands out from the background
 * @example const { ink } = grayToInk(gray, 200, 200, 'seven.png');
 */
export function grayToInk(gray: Float32Array, width: number, height: number, name = 'image'): InkImage {
  const darkInk = inkIsDark(gray);
  let v: Float32Array = darkInk ? gray.map((g) => 1 - g) : Float32Array.from(gray);
  let noise = noiseLevel(v, width, height);
  if (noise > DENOISE_ABOVE) {
    v = median3(v, width, height);
    if (noise > 4 * DENOISE_ABOVE) v = median3(v, width, height);
    noise = noiseLevel(v, width, height);
  }
  const background = backgroundOf(v, width, height);
  const ink = new Float32Array(v.length);
  let peak = 0;
  for (let i = 0; i < v.length; i++) {
    ink[i] = Math.max(0, v[i] - background(i));
    if (ink[i] > peak) peak = ink[i];
  }
  if (peak < MIN_CONTRAST) {
    throw new ImageError(
      'blank',
      `${name}: no digit found (the image is blank: nothing differs from the ${darkInk ? 'light' : 'dark'} background by more than ${Math.round(MIN_CONTRAST * 100)}%); draw or photograph a digit with clear strokes`,
    );
  }
  const floor = Math.max(4 * noise, residual(ink, peak), 0.5 / 255);
  for (let i = 0; i < ink.length; i++) if (ink[i] <= floor) ink[i] = 0;
  keepMainComponents(ink, width, height, peak);
  let kept = 0;
  for (let i = 0; i < ink.length; i++) if (ink[i] > kept) kept = ink[i];
  for (let i = 0; i < ink.length; i++) ink[i] /= kept;
  return { ink, width, height };
}

/** Dark ink on a light ground when the darkest tail lies farther from the median than the lightest. */
function inkIsDark(gray: Float32Array): boolean {
  const [low, median, high] = quantiles(gray, [0.005, 0.5, 0.995]);
  return median - low > high - median;
}

const BINS = 1024;

/**
 * Quantiles of values in [0,1] from a 1024-bin histogram (to 0.001; a sort costs ~10x more and
 * inputs are 8-bit anyway).
 */
function quantiles(values: ArrayLike<number>, qs: number[]): number[] {
  const counts = new Uint32Array(BINS);
  for (let i = 0; i < values.length; i++) counts[Math.min(BINS - 1, Math.max(0, Math.floor(values[i] * BINS)))]++;
  return qs.map((q) => {
    const rank = Math.min(values.length - 1, Math.floor(q * values.length));
    let seen = 0;
    for (let b = 0; b < BINS; b++) {
      seen += counts[b];
      if (seen > rank) return (b + 0.5) / BINS;
    }
    return 1;
  });
}

/**
 * Standard deviation of pixel noise, from the median absolute difference of horizontal neighbours
 * (the background dominates, so the median ignores the strokes' edges): median|d| = 0.954 sigma.
 */
function noiseLevel(v: Float32Array, width: number, height: number): number {
  if (width < 2) return 0;
  const diffs = new Float32Array((width - 1) * height);
  let k = 0;
  for (let y = 0; y < height; y++) for (let x = 0; x + 1 < width; x++) diffs[k++] = Math.abs(v[y * width + x + 1] - v[y * width + x]);
  const [median] = quantiles(diffs, [0.5]);
  return median < 1 / BINS ? 0 : median / 0.954; // the lowest bin: no measurable noise
}

/** 3x3 median filter (edges use the pixels that exist). */
function median3(v: Float32Array, width: number, height: number): Float32Array {
  const out = new Float32Array(v.length);
  const window: number[] = [];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      window.length = 0;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          if (xx >= 0 && xx < width) window.push(v[yy * width + xx]);
        }
      }
      window.sort((a, b) => a - b);
      out[y * width + x] = window[window.length >> 1];
    }
  }
  return out;
}

/**
 * The background level at each pixel index. A grid of up to 16x16 cells holds each cell's 20th
 * percentile; a plane a + bx + cy is fitted to the cells by least squares, leaving out, over a few
 * rounds, cells that lie above it (those hold ink: a thick stroke can fill whole cells). When the
 * plane tilts by less than 8% across the image the light is even and one level is used everywhere,
 * so a digit touching the border does not lift the background.
 */
function backgroundOf(v: Float32Array, width: number, height: number): (i: number) => number {
  const cw = Math.max(1, Math.ceil(width / GRID)), ch = Math.max(1, Math.ceil(height / GRID));
  const gw = Math.ceil(width / cw), gh = Math.ceil(height / ch);
  const cells: Array<[number, number, number]> = []; // [x, y, level], x and y in 0..1
  const buffer = new Float64Array(cw * ch);
  for (let gy = 0; gy < gh; gy++) {
    for (let gx = 0; gx < gw; gx++) {
      let n = 0;
      for (let y = gy * ch; y < Math.min(height, (gy + 1) * ch); y++) for (let x = gx * cw; x < Math.min(width, (gx + 1) * cw); x++) buffer[n++] = v[y * width + x];
      cells.push([(gx + 0.5) / gw, (gy + 0.5) / gh, kthSmallest(buffer, n, Math.floor(n * 0.2))]);
    }
  }
  let used = cells;
  let plane = fitPlane(used) ?? [0, 0, 0];
  for (let round = 0; round < 6; round++) {
    const [a, b, c] = plane;
    const below = cells.filter(([x, y, l]) => l - (a + b * x + c * y) <= 0.04);
    if (below.length < 3 || below.length === used.length) break;
    used = below;
    plane = fitPlane(used) ?? plane;
  }
  const [a, b, c] = plane;
  if (Math.abs(b) + Math.abs(c) <= UNEVEN_ABOVE) {
    const levels = used.map(([, , l]) => l).sort((p, q) => p - q);
    const level = levels[levels.length >> 1];
    return () => level;
  }
  return (i) => {
    const x = i % width, y = (i - x) / width;
    return a + (b * (x + 0.5)) / width + (c * (y + 0.5)) / height;
  };
}

/**
 * The k-th smallest of the first n values (Hoare's quickselect, in place). A cell is a few hundred
 * pixels at most; a typed-array sort per cell cost more in call overhead than the selection itself.
 */
function kthSmallest(values: Float64Array, n: number, k: number): number {
  let lo = 0, hi = n - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i]; values[i] = values[j]; values[j] = t;
        i++; j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k];
  }
  return values[k];
}

/** Least-squares plane l = a + bx + cy through the points, or null when they do not fix one. */
function fitPlane(points: Array<[number, number, number]>): [number, number, number] | null {
  let n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0, sl = 0, sxl = 0, syl = 0;
  for (const [x, y, l] of points) {
    n++; sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y; sl += l; sxl += x * l; syl += y * l;
  }
  // Solve [[n sx sy] [sx sxx sxy] [sy sxy syy]] [a b c] = [sl sxl syl] by Cramer's rule.
  const det3 = (m: number[]) => m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
  const d = det3([n, sx, sy, sx, sxx, sxy, sy, sxy, syy]);
  if (Math.abs(d) < 1e-12) return null;
  return [
    det3([sl, sx, sy, sxl, sxx, sxy, syl, sxy, syy]) / d,
    det3([n, sl, sy, sx, sxl, sxy, sy, syl, syy]) / d,
    det3([n, sx, sl, sx, sxx, sxl, sy, sxy, syl]) / d,
  ];
}

/** What is left of the background after subtraction: 3x the median of the faint pixels. */
function residual(ink: Float32Array, peak: number): number {
  const faint: number[] = [];
  for (let i = 0; i < ink.length; i++) if (ink[i] > 0 && ink[i] < 0.25 * peak) faint.push(ink[i]);
  if (faint.length < ink.length / 4) return 0; // mostly exact zeros: a clean background
  faint.sort((a, b) => a - b);
  return 3 * faint[faint.length >> 1];
}

interface Component {
  pixels: number[];
  mass: number;
  max: number;
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * Zeroes every 8-connected ink component except the digit's: the heaviest (by summed ink), the
 * others of at least 20% of its mass, and those of at least 3% that lie within its bounding box
 * grown by a tenth of its size. Components that never reach half the peak are noise.
 */
export function keepMainComponents(ink: Float32Array, width: number, height: number, peak: number): void {
  const components = labelComponents(ink, width, height).filter((c) => c.max >= 0.5 * peak);
  const keep = new Uint8Array(ink.length);
  if (components.length > 0) {
    const main = components.reduce((a, b) => (b.mass > a.mass ? b : a));
    const grow = Math.max(main.x1 - main.x0, main.y1 - main.y0) / 10;
    for (const c of components) {
      const near = c.x1 >= main.x0 - grow && c.x0 <= main.x1 + grow && c.y1 >= main.y0 - grow && c.y0 <= main.y1 + grow;
      if (c === main || c.mass >= KEEP_ANYWHERE * main.mass || (near && c.mass >= KEEP_NEAR * main.mass)) for (const p of c.pixels) keep[p] = 1;
    }
  }
  for (let i = 0; i < ink.length; i++) if (!keep[i]) ink[i] = 0;
}

function labelComponents(ink: Float32Array, width: number, height: number): Component[] {
  const seen = new Uint8Array(ink.length);
  const out: Component[] = [];
  const stack: number[] = [];
  for (let start = 0; start < ink.length; start++) {
    if (seen[start] || ink[start] <= 0) continue;
    const c: Component = { pixels: [], mass: 0, max: 0, x0: width, y0: height, x1: -1, y1: -1 };
    seen[start] = 1;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop()!;
      const x = p % width, y = (p - x) / width;
      c.pixels.push(p);
      c.mass += ink[p];
      if (ink[p] > c.max) c.max = ink[p];
      if (x < c.x0) c.x0 = x;
      if (x > c.x1) c.x1 = x;
      if (y < c.y0) c.y0 = y;
      if (y > c.y1) c.y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const yy = y + dy;
        if (yy < 0 || yy >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const q = yy * width + xx;
          if (xx < 0 || xx >= width || seen[q] || ink[q] <= 0) continue;
          seen[q] = 1;
          stack.push(q);
        }
      }
    }
    out.push(c);
  }
  return out;
}
