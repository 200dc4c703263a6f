/**
 * Pictures of digits for notebooks: MNIST's raw bytes tiled into one grayscale PNG (white ink on
 * black, as in the files), scaled up with whole pixels so a 28 x 28 digit stays crisp.
 */
import { encodeGrayPng } from '../data';
import type { DigitSet } from '../data';

/** How tiles are laid out: pixel scale, gap between tiles and the gap's gray level. */
export interface TileOptions {
  scale?: number; // whole-pixel enlargement; default 2
  gap?: number; // pixels between tiles (after scaling); default 2
  gapGray?: number; // 0..255; default 96 (mid gray, visible against both ink and background)
}

/**
 * Tiles equally sized grayscale images row by row (`columns` per row) into one PNG.
 * @example tslab.display.png(tileDigitsPng([a, b, c], 3, 28, 28, { scale: 3 }));
 */
export function tileDigitsPng(images: Uint8Array[], columns: number, width: number, height: number, options: TileOptions = {}): Buffer {
  const { scale = 2, gap = 2, gapGray = 96 } = options;
  if (!Number.isInteger(scale) || scale < 1) throw new Error(`tileDigitsPng: scale must be a whole number >= 1, got ${scale}`);
  if (images.length === 0 || columns < 1) throw new Error(`tileDigitsPng: nothing to tile (${images.length} images, ${columns} columns)`);
  const rows = Math.ceil(images.length / columns);
  const tileW = width * scale;
  const tileH = height * scale;
  const outW = columns * tileW + (columns - 1) * gap;
  const outH = rows * tileH + (rows - 1) * gap;
  const out = new Uint8Array(outW * outH).fill(gapGray);
  images.forEach((img, k) => {
    if (img.length !== width * height) throw new Error(`tileDigitsPng: image ${k} has ${img.length} pixels, not ${width}x${height}`);
    const x0 = (k % columns) * (tileW + gap);
    const y0 = Math.floor(k / columns) * (tileH + gap);
    for (let y = 0; y < tileH; y++) {
      const src = Math.floor(y / scale) * width;
      const dst = (y0 + y) * outW + x0;
      for (let x = 0; x < tileW; x++) out[dst + x] = img[src + Math.floor(x / scale)];
    }
  });
  // Unused cells of the last row stay gap-gray.
  return encodeGrayPng(out, outW, outH);
}

/** The pixels of digit `index` of `set` (a view, no copy). */
export function digitPixels(set: DigitSet, index: number): Uint8Array {
  if (!Number.isInteger(index) || index < 0 || index >= set.count) {
    throw new RangeError(`digitPixels: index ${index} is outside 0..${set.count - 1}`);
  }
  const size = set.rows * set.cols;
  return set.images.subarray(index * size, (index + 1) * size);
}

/**
 * A grid of sample digits: one row per class (0 at the top, 9 at the bottom), the first
 * `perClass` examples of that class in the set's order across.
 * @example tslab.display.png(digitGridPng(mnist.train, 12));
 */
export function digitGridPng(set: DigitSet, perClass = 12, options: TileOptions = {}): Buffer {
  const byClass: Uint8Array[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < set.count && byClass.some((row) => row.length < perClass); i++) {
    const row = byClass[set.labels[i]];
    if (row && row.length < perClass) row.push(digitPixels(set, i));
  }
  const blank = new Uint8Array(set.rows * set.cols);
  const tiles = byClass.flatMap((row) => [...row, ...Array.from({ length: perClass - row.length }, () => blank)]);
  return tileDigitsPng(tiles, perClass, set.cols, set.rows, options);
}
