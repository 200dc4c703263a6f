/**
 * Image -> model input, for prediction: the one code path used by `digits predict` and the web
 * server. Decoding and limits live in image-decode.ts, the MNIST-style normalisation in
 * image-mnist.ts.
 */
import { decodeGray, DecodeOptions, ImageError } from './image-decode';
import { DIGIT_SIDE, grayToInk, normalizeDigit } from './image-mnist';
import { encodeGrayPng } from './image-png';

export { DEFAULT_MAX_PIXELS, IMAGE_FORMATS, IMAGE_MIME_TYPES, ImageError } from './image-decode';
export type { DecodeOptions, ImageProblem } from './image-decode';

/** A digit ready for a model, plus what it looks like. */
export interface PreparedDigit {
  pixels: Float32Array; // [784] row-major 28x28, in [0,1], white ink on black like MNIST
  png: Buffer; // the same 28x28 as an 8-bit grayscale PNG, for display
  source: { format: string; width: number; height: number };
}

/** Largest side accepted for a raw pixel array. */
const MAX_ARRAY_SIDE = 512;

/**
 * Decodes an image file (PNG, JPEG, WebP, GIF, TIFF; any size up to the pixel cap, any colour) and
 * preprocesses it the way MNIST was made: grayscale, inverted when the background is light,
 * cropped to the ink, scaled to fit 20x20, centred by mass in 28x28.
 * @throws ImageError (a UserError) for empty, non-image, unsupported, oversized, truncated or blank input
 * @example const { pixels } = await prepareDigitImage(fs.readFileSync('seven.png'), { name: 'seven.png' });
 */
export async function prepareDigitImage(input: Buffer, options: DecodeOptions = {}): Promise<PreparedDigit> {
  const img = await decodeGray(input, options);
  const pixels = normalizeDigit(grayToInk(img.gray, img.width, img.height, options.name));
  return { pixels, png: digitPng(pixels), source: { format: img.format, width: img.width, height: img.height } };
}

/**
 * Preprocesses a raw grayscale array (row-major, values in [0,1], either polarity: 0 = black) the
 * same way as an image file. A 28x28 MNIST digit comes back nearly unchanged.
 * @throws ImageError('bad-array') when the size or values are wrong
 */
export function prepareDigitArray(
  values: ArrayLike<number>,
  width = DIGIT_SIDE,
  height = DIGIT_SIDE,
  name = 'pixels',
): PreparedDigit {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1 || width > MAX_ARRAY_SIDE || height > MAX_ARRAY_SIDE) {
    throw new ImageError('bad-array', `${name}: size ${width}x${height} is not allowed; width and height must be whole numbers from 1 to ${MAX_ARRAY_SIDE}`);
  }
  if (values.length !== width * height) {
    throw new ImageError('bad-array', `${name}: got ${values.length} values for a ${width}x${height} image; send exactly ${width * height} (row-major)`);
  }
  const gray = new Float32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) {
      throw new ImageError('bad-array', `${name}[${i}] is ${JSON.stringify(v)}; every value must be a number from 0 to 1 (divide 8-bit values by 255)`);
    }
    gray[i] = v;
  }
  const pixels = normalizeDigit(grayToInk(gray, width, height, name));
  return { pixels, png: digitPng(pixels), source: { format: 'array', width, height } };
}

/** Encodes a 28x28 digit (values in [0,1]) as an 8-bit grayscale PNG. */
export function digitPng(pixels: Float32Array): Buffer {
  const bytes = new Uint8Array(DIGIT_SIDE * DIGIT_SIDE);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.round(Math.min(1, Math.max(0, pixels[i])) * 255);
  return encodeGrayPng(bytes, DIGIT_SIDE, DIGIT_SIDE);
}

/** A PNG as a data: URL, ready for an <img src>. */
export function pngDataUrl(png: Buffer): string {
  return `data:image/png;base64,${png.toString('base64')}`;
}
