import { strict as assert } from 'node:assert';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { decodeSimplePng, encodeGrayPng } from '../../src/data/image-png';
import { drawnSeven, mnistSample } from '../web/fixtures';

/** What libvips decodes, as raw 8-bit pixels with the file's own channels. */
async function viaSharp(png: Buffer) {
  const { data, info } = await sharp(png).raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Pixels as RGBA (libvips hands gray images back as sRGB, so compare in one layout). */
function asRgba(p: { data: Buffer; channels: number }): number[] {
  const out: number[] = [];
  for (let i = 0; i < p.data.length; i += p.channels) {
    const px = Array.from(p.data.subarray(i, i + p.channels));
    const [r, g, b] = p.channels >= 3 ? px : [px[0], px[0], px[0]];
    out.push(r, g, b, p.channels === 2 || p.channels === 4 ? px[p.channels - 1] : 255);
  }
  return out;
}

/** A noisy RGBA picture, so sharp's adaptive filtering uses every PNG filter type. */
function noisyRgba(width: number, height: number): Buffer {
  const px = Buffer.alloc(width * height * 4);
  let seed = 7;
  for (let i = 0; i < px.length; i++) {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    px[i] = (i % 4 === 3 ? 128 + (seed % 128) : (i * 7 + (seed % 40)) & 0xff);
  }
  return px;
}

/** An RGB PNG whose rows use filter types 0, 1, 2, 3, 4, 0, ... in turn. */
function everyFilterPng(width: number, height: number): Buffer {
  const bpp = 3;
  const stride = width * bpp;
  const px = noisyRgba(width, height).filter((_, i) => i % 4 !== 3); // drop alpha: RGB
  const rows = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const filter = y % 5;
    rows[y * (stride + 1)] = filter;
    for (let x = 0; x < stride; x++) {
      const a = x >= bpp ? px[y * stride + x - bpp] : 0;
      const b = y > 0 ? px[(y - 1) * stride + x] : 0;
      const c = x >= bpp && y > 0 ? px[(y - 1) * stride + x - bpp] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      rows[y * (stride + 1) + 1 + x] = (px[y * stride + x] - predictor) & 0xff;
    }
  }
  const chunk = (type: string, body: Buffer) => {
    const out = Buffer.alloc(12 + body.length);
    out.writeUInt32BE(body.length, 0);
    out.write(type, 4, 'latin1');
    body.copy(out, 8);
    out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + body.length)) >>> 0, 8 + body.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8;
  ihdr[9] = 2; // RGB
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(rows)), chunk('IEND', Buffer.alloc(0))]);
}

describe('data/image-png', () => {
  describe('decodeSimplePng', () => {
    it('decodes gray, gray+alpha, RGB and RGBA PNGs exactly as libvips does', async () => {
      const seven = await drawnSeven();
      const sample = mnistSample('test', 1);
      const noisy = sharp(noisyRgba(37, 23), { raw: { width: 37, height: 23, channels: 4 } });
      const cases: Array<[string, Buffer, number]> = [
        ['our own gray encoder', encodeGrayPng(sample.images.subarray(0, 784), 28, 28), 1],
        ['gray (sharp, adaptive filters)', await sharp(seven).flatten().toColourspace('b-w').png().toBuffer(), 1],
        ['gray + alpha', await sharp(await drawnSeven({ background: 'none' })).toColourspace('b-w').png().toBuffer(), 2],
        ['RGB', await sharp(await drawnSeven({ ink: '#1030c0', background: '#f8e870' })).removeAlpha().png().toBuffer(), 3],
        ['RGBA, noisy, adaptive filters', await noisy.png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer(), 4],
        ['RGB, rows cycling through the five filter types', everyFilterPng(19, 15), 3],
      ];
      for (const [label, png, channels] of cases) {
        const mine = decodeSimplePng(png, 1 << 20);
        assert.ok(mine, `${label}: not decoded`);
        const theirs = await viaSharp(png);
        assert.equal(mine.channels, channels, label);
        assert.deepEqual([mine.width, mine.height], [theirs.width, theirs.height], label);
        assert.deepEqual(asRgba(mine), asRgba(theirs), `${label}: pixels differ`);
      }
    });

    it('declines what it does not handle, leaving it to libvips', async () => {
      const png = await drawnSeven();
      const badCrc = Buffer.from(png);
      badCrc[29] ^= 0xff; // last byte of the IHDR CRC
      const cases: Array<[string, Buffer]> = [
        ['not a PNG', Buffer.from('GIF89a....')],
        ['a truncated file', png.subarray(0, png.length - 20)],
        ['a damaged CRC', badCrc],
        ['a palette PNG', await sharp(png).png({ palette: true }).toBuffer()],
        ['a 16-bit PNG', await sharp(png).toColourspace('rgb16').png().toBuffer()],
        ['an interlaced PNG', await sharp(png).png({ progressive: true }).toBuffer()],
        ['more pixels than allowed', png],
      ];
      for (const [label, input] of cases) {
        assert.equal(decodeSimplePng(input, label === 'more pixels than allowed' ? 1000 : 1 << 20), null, label);
      }
    });

    it('declines image data that inflates to more than the header allows', () => {
      const small = encodeGrayPng(new Uint8Array(4), 2, 2);
      // Same header, but the IDAT holds 1 MB: a zip bomb in a tiny PNG.
      const bomb = Buffer.from(small);
      const idat = zlib.deflateSync(Buffer.alloc(1 << 20));
      const head = bomb.subarray(0, 33); // signature + IHDR
      const chunk = Buffer.alloc(12 + idat.length);
      chunk.writeUInt32BE(idat.length, 0);
      chunk.write('IDAT', 4, 'latin1');
      idat.copy(chunk, 8);
      chunk.writeUInt32BE(zlib.crc32(chunk.subarray(4, 8 + idat.length)) >>> 0, 8 + idat.length);
      const iend = small.subarray(small.length - 12);
      assert.equal(decodeSimplePng(Buffer.concat([head, chunk, iend]), 1 << 20), null);
      assert.ok(decodeSimplePng(small, 1 << 20), 'the honest file decodes');
    });
  });
});
