/** A minimal PNG encoder for small 8-bit grayscale images (MNIST digits), with node:zlib only. */
import { crc32, deflateSync } from 'node:zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function chunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])) >>> 0, 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * Encodes `width * height` bytes (row-major, 0 = black) as a grayscale PNG.
 * @example encodeGrayPng(digitPixels, 28, 28) // Buffer starting with \x89PNG
 */
export function encodeGrayPng(pixels: Uint8Array, width: number, height: number): Buffer {
  if (pixels.length !== width * height) {
    throw new Error(`encodeGrayPng: expected ${width * height} pixels, got ${pixels.length}`);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 0; // colour type: grayscale
  // bytes 10..12: deflate compression, adaptive filtering, no interlace (all zero)
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width + 1)] = 0; // filter: none
    raw.set(pixels.subarray(y * width, (y + 1) * width), y * (width + 1) + 1);
  }
  return Buffer.concat([
    SIGNATURE,
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The same PNG as a `data:image/png;base64,...` URL for an <img> tag. */
export function pngDataUrl(pixels: Uint8Array, width: number, height: number): string {
  return `data:image/png;base64,${encodeGrayPng(pixels, width, height).toString('base64')}`;
}
