import sharp from 'sharp';
import { UserError } from '../errors';
import { decodeSimplePng } from './image-png';

/** Why an image was refused; the web server maps each reason to an HTTP status. */
export type ImageProblem = 'empty' | 'not-image' | 'unsupported-format' | 'too-large' | 'bad-shape' | 'truncated' | 'blank' | 'bad-array';

/**
 * A user-fixable problem with an input image. Still a UserError (name 'UserError', exit code 2);
 * `problem` says which rule it broke.
 */
export class ImageError extends UserError {
  readonly problem: ImageProblem;

  constructor(problem: ImageProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

/** Formats accepted for prediction (sharp decodes them without extra libraries). SVG is refused: it is a program, not pixels. */
export const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'gif', 'tiff'] as const;

/** MIME types matching IMAGE_FORMATS, for the web server's content-type check. */
export const IMAGE_MIME_TYPES = ['image/png', 'image/jpeg', 'image/jpg', 'image/webp', 'image/gif', 'image/tiff'] as const;

/** Default pixel cap (width x height) checked from the header before decoding: 24 megapixels. */
export const DEFAULT_MAX_PIXELS = 24_000_000;

/** Larger images are shrunk (keeping the aspect ratio) right after decoding, so preprocessing stays cheap. */
const WORKING_SIDE = 512;

export interface DecodeOptions {
  /** What to call the input in messages: a file path, or "upload". */
  name?: string;
  /** Refuse images with more pixels than this (checked on the header, before decoding). */
  maxPixels?: number;
  /** Stop libvips after this many seconds (0 = no limit); the image is then refused as too slow. */
  timeoutSeconds?: number;
}

/**
 * Longest side over shortest side accepted: a digit is never a 1-pixel line, and libvips needs
 * seconds for a 1x20,000,000 image that is a few hundred bytes as a PNG.
 */
export const MAX_ASPECT = 20;

/** A decoded image as luminance in [0,1] (0 black, 1 white), row-major. */
export interface GrayImage {
  gray: Float32Array; // [height * width]
  width: number;
  height: number;
  format: string; // as sharp names it: 'png', 'jpeg', ...
}

/**
 * Decodes an image file's bytes into grayscale, alpha composited on white, EXIF orientation applied,
 * first frame only. Refuses, before decoding, empty input, non-images, unsupported formats and
 * images over the pixel cap; refuses truncated or damaged files when decoding.
 * @example const img = await decodeGray(fs.readFileSync('seven.png'), { name: 'seven.png' });
 */
export async function decodeGray(input: Buffer, options: DecodeOptions = {}): Promise<GrayImage> {
  const name = options.name ?? 'image';
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (input.length === 0) {
    throw new ImageError('empty', `${name}: the file is empty (0 bytes); send a PNG, JPEG, WebP, GIF or TIFF image of a digit`);
  }
  let image = sharp(input, { limitInputPixels: maxPixels, failOn: 'error' });
  if (options.timeoutSeconds) image = image.timeout({ seconds: Math.max(1, Math.ceil(options.timeoutSeconds)) });
  const meta = await checkHeader(image, input, name, maxPixels);
  const format = meta.format as string;
  const small = Math.max(meta.width ?? 0, meta.height ?? 0) <= WORKING_SIDE;
  const simple = format === 'png' && small ? decodeSimplePng(input, maxPixels) : null;
  if (simple) return { gray: luminanceOnWhite(simple.data, simple.channels), width: simple.width, height: simple.height, format };
  try {
    let pipeline = image;
    if ((meta.orientation ?? 1) > 1) pipeline = pipeline.rotate();
    if (!small) {
      pipeline = pipeline.resize({ width: WORKING_SIDE, height: WORKING_SIDE, fit: 'inside' });
    }
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    return { gray: luminanceOnWhite(data, info.channels), width: info.width, height: info.height, format };
  } catch (err) {
    if (/timeout/i.test(firstLine(err))) {
      throw new ImageError('too-large', `${name}: decoding took over ${options.timeoutSeconds} s and was stopped; send a smaller or simpler image`);
    }
    throw new ImageError(
      'truncated',
      `${name}: the ${format.toUpperCase()} data is truncated or damaged (${firstLine(err)}); send the complete file again or re-save it`,
    );
  }
}

/**
 * 8-bit pixels with 1-4 channels (gray, gray+alpha, RGB, RGBA) -> luminance in [0,1], alpha
 * composited on white. Done here rather than in libvips: for small images it is several times faster.
 */
function luminanceOnWhite(data: Buffer, channels: number): Float32Array {
  const count = data.length / channels;
  const gray = new Float32Array(count);
  const hasAlpha = channels === 2 || channels === 4;
  for (let i = 0, p = 0; i < count; i++, p += channels) {
    const l = channels >= 3 ? 0.299 * data[p] + 0.587 * data[p + 1] + 0.114 * data[p + 2] : data[p];
    const a = hasAlpha ? data[p + channels - 1] / 255 : 1;
    gray[i] = (a * l) / 255 + (1 - a);
  }
  return gray;
}

/** Reads only the header (format, dimensions) and applies the format and pixel-count rules. */
async function checkHeader(image: sharp.Sharp, input: Buffer, name: string, maxPixels: number): Promise<sharp.Metadata> {
  let meta: sharp.Metadata | null = pngHeader(input);
  if (meta) return checkSize(meta, name, maxPixels);
  try {
    meta = await image.metadata(); // reads the header only
  } catch (err) {
    // Over limitInputPixels: read the header again without the limit, only to say how large it is.
    if (/pixel limit/i.test(firstLine(err))) return tooLarge(await sharp(input, { limitInputPixels: false }).metadata(), name, maxPixels);
    throw new ImageError(
      'not-image',
      `${name}: not an image that can be read (${firstLine(err)}); send a PNG, JPEG, WebP, GIF or TIFF file`,
    );
  }
  return checkSize(meta, name, maxPixels);
}

/** Applies the format and pixel-count rules to a header. */
function checkSize(meta: sharp.Metadata, name: string, maxPixels: number): sharp.Metadata {
  const format = meta.format ?? 'unknown';
  if (!(IMAGE_FORMATS as readonly string[]).includes(format)) {
    throw new ImageError(
      'unsupported-format',
      `${name}: ${format.toUpperCase()} images are not accepted; convert it to one of ${IMAGE_FORMATS.join(', ')}`,
    );
  }
  const width = meta.width ?? 0;
  const height = meta.height ?? 0;
  if (width * height > maxPixels) tooLarge(meta, name, maxPixels);
  if (width === 0 || height === 0) {
    throw new ImageError('not-image', `${name}: the ${format.toUpperCase()} header gives no size; the file is damaged, re-save it`);
  }
  if (Math.max(width, height) > MAX_ASPECT * Math.min(width, height)) {
    throw new ImageError('bad-shape', `${name}: ${width}x${height} pixels is not the shape of a digit (one side over ${MAX_ASPECT}x the other); crop the image around the digit`);
  }
  return meta;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * A PNG's size straight from its IHDR chunk, or null if `input` is not a PNG. Saves libvips a
 * header pass for the most common upload (the page's canvas sends PNG): ~7% of server CPU.
 */
function pngHeader(input: Buffer): sharp.Metadata | null {
  if (input.length < 24 || !input.subarray(0, 8).equals(PNG_SIGNATURE) || input.toString('latin1', 12, 16) !== 'IHDR') return null;
  return { format: 'png', width: input.readUInt32BE(16), height: input.readUInt32BE(20) } as sharp.Metadata;
}

function tooLarge(meta: sharp.Metadata, name: string, maxPixels: number): never {
  throw new ImageError(
    'too-large',
    `${name}: ${meta.width}x${meta.height} pixels is over the limit of ${maxPixels.toLocaleString('en-US')} pixels; scale the image down (a digit needs no more than a few hundred pixels a side)`,
  );
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n')[0].trim();
}
