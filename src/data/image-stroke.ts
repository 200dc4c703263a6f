/**
 * Stroke width, measured and normalised toward MNIST's. A printed digit in a hairline or a black
 * font is far from the pen strokes the models learnt; thickening or thinning it (grey dilation or
 * erosion by a disc) brings it back. Widths are measured on the digit scaled to fit an 80-pixel box
 * (4x MNIST's 20-pixel box), where one pixel of rounding matters little.
 * Pure functions over Float32Arrays; no I/O.
 */
import type { InkImage } from './image-ink';

/** Side of the box widths are measured in (4x MNIST's 20). */
export const STROKE_BOX = 80;

/**
 * Stroke widths of MNIST digits in the 80-pixel box, measured with strokeWidth on the first 2,000
 * test digits: median 7.4, 1st and 99th percentiles 4.0 and 13.8, extremes 3.0 and 16.4. Inside the
 * band (about the 0.3rd to 99.7th percentile) a digit is left alone, so MNIST itself passes through
 * unchanged; outside it is brought to the median.
 */
export const STROKE_BAND = { low: 3.5, target: 7.4, high: 15 };

/**
 * Mean stroke width in pixels: 2 x area / perimeter of the ink at half strength (a stroke of width
 * w and length L >> w has area wL and perimeter ~2L). 0 when there is no ink.
 */
export function strokeWidth(img: InkImage): number {
  const { ink, width, height } = img;
  let area = 0, perimeter = 0;
  const on = (x: number, y: number) => x >= 0 && y >= 0 && x < width && y < height && ink[y * width + x] >= 0.5;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!on(x, y)) continue;
      area++;
      perimeter += (on(x - 1, y) ? 0 : 1) + (on(x + 1, y) ? 0 : 1) + (on(x, y - 1) ? 0 : 1) + (on(x, y + 1) ? 0 : 1);
    }
  }
  return perimeter === 0 ? 0 : (2 * area) / perimeter;
}

/**
 * The digit with strokes grown (radius > 0, grey dilation) or shrunk (radius < 0, grey erosion) by
 * a disc of |radius| pixels; a grown digit gets a margin so nothing is clipped.
 */
export function thickenOrThin(img: InkImage, radius: number): InkImage {
  const r = Math.round(Math.abs(radius));
  if (r === 0) return img;
  const grow = radius > 0;
  const pad = grow ? r : 0;
  const width = img.width + 2 * pad, height = img.height + 2 * pad;
  const offsets: Array<[number, number]> = [];
  for (let dy = -r; dy <= r; dy++) for (let dx = -r; dx <= r; dx++) if (dx * dx + dy * dy <= r * r + r) offsets.push([dx, dy]);
  const at = (x: number, y: number) => (x < 0 || y < 0 || x >= img.width || y >= img.height ? 0 : img.ink[y * img.width + x]);
  const ink = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      let acc = grow ? 0 : 1;
      for (const [dx, dy] of offsets) {
        const v = at(x - pad + dx, y - pad + dy);
        acc = grow ? Math.max(acc, v) : Math.min(acc, v);
        if (!grow && acc === 0) break;
      }
      ink[y * width + x] = acc;
    }
  }
  return { ink, width, height };
}

/**
 * How far (in pixels of the 80-pixel box, as a radius) strokes should grow (> 0) or shrink (< 0)
 * to reach MNIST's median width; 0 inside MNIST's band or when the stroke cannot be measured.
 * Thinning stops short of breaking a stroke (at most a third of its width).
 */
export function strokeCorrection(width: number): number {
  if (width <= 0 || (width >= STROKE_BAND.low && width <= STROKE_BAND.high)) return 0;
  const change = (STROKE_BAND.target - width) / 2;
  return change < 0 ? Math.max(change, -width / 3) : change;
}
