import { strict as assert } from 'node:assert';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { digitPng, ImageError, prepareDigitArray, prepareDigitImage } from '../../src/data/image';
import { isUserError } from '../../src/errors';
import { digitImage, digitPixels, drawnSeven, grayscalePng, mnistSample } from '../web/fixtures';

/** Mean absolute difference of two equal-length arrays. */
function meanAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d += Math.abs(a[i] - b[i]);
  return d / a.length;
}

/** Ink bounding box and centre of mass of a 28x28 digit. */
function shape(pixels: Float32Array) {
  let x0 = 28, x1 = -1, y0 = 28, y1 = -1, m = 0, sx = 0, sy = 0;
  for (let y = 0; y < 28; y++) {
    for (let x = 0; x < 28; x++) {
      const v = pixels[y * 28 + x];
      if (v > 0) [x0, x1, y0, y1] = [Math.min(x0, x), Math.max(x1, x), Math.min(y0, y), Math.max(y1, y)];
      m += v;
      sx += v * x;
      sy += v * y;
    }
  }
  return { width: x1 - x0 + 1, height: y1 - y0 + 1, cx: sx / m, cy: sy / m };
}

/** A PNG whose header claims `width` x `height` but carries one tiny IDAT: a decompression bomb's header. */
function pngHeader(width: number, height: number): Buffer {
  return grayscalePng(width, height, zlib.deflateSync(Buffer.alloc(1000)));
}

async function refusal(input: Promise<unknown>): Promise<ImageError> {
  try {
    await input;
  } catch (err) {
    assert.ok(err instanceof ImageError, `expected an ImageError, got ${String(err)}`);
    assert.ok(isUserError(err));
    return err;
  }
  assert.fail('expected the image to be refused');
}

describe('data/image', () => {
  describe('prepareDigitImage', () => {
    it('centres a dark digit drawn on white in 28x28 like MNIST (20-pixel box, mass at the centre)', async () => {
      const { pixels, png, source } = await prepareDigitImage(await drawnSeven());
      assert.equal(pixels.length, 784);
      assert.deepEqual(source, { format: 'png', width: 200, height: 240 });
      const s = shape(pixels);
      assert.equal(Math.max(s.width, s.height), 20);
      assert.ok(Math.abs(s.cx - 14) <= 0.5 && Math.abs(s.cy - 14) <= 1, `centre of mass (${s.cx}, ${s.cy})`);
      assert.equal(Math.max(...pixels), 1);
      assert.equal(pixels[0], 0, 'the white background becomes black');
      const raw = await sharp(png).extractChannel(0).raw().toBuffer();
      assert.equal(raw.length, 784);
      assert.ok(meanAbsDiff(Array.from(raw, (v) => v / 255), pixels) < 0.003, 'the PNG shows what the model gets');
    });

    it('gives the same digit for white ink on black, a colour JPEG, a transparent PNG and other formats', async () => {
      const reference = (await prepareDigitImage(await drawnSeven())).pixels;
      const variants: Array<[string, Buffer]> = [
        ['white on black', await drawnSeven({ ink: '#fff', background: '#000' })],
        ['blue on yellow JPEG', await drawnSeven({ ink: '#1030c0', background: '#f8e870', format: 'jpeg' })],
        ['black on transparent', await drawnSeven({ background: 'none' })],
        ['WebP', await drawnSeven({ format: 'webp' })],
        ['GIF', await drawnSeven({ format: 'gif' })],
        ['TIFF', await drawnSeven({ format: 'tiff' })],
        ['a large 2000x2400 PNG', await drawnSeven({ width: 2000, height: 2400 })],
        ['a phone JPEG stored sideways with EXIF orientation 6', await sharp(await drawnSeven()).rotate(-90).jpeg().withMetadata({ orientation: 6 }).toBuffer()],
      ];
      for (const [label, image] of variants) {
        const { pixels } = await prepareDigitImage(image);
        const d = meanAbsDiff(pixels, reference);
        assert.ok(d < 0.04, `${label}: differs from the reference by ${d.toFixed(3)} on average`);
      }
    });

    it('turns a real MNIST digit rendered to PNG back into (nearly) the same 28x28', async () => {
      const sample = mnistSample('test', 30);
      for (let i = 0; i < sample.count; i++) {
        const { pixels } = await prepareDigitImage(await digitImage(sample, i));
        const d = meanAbsDiff(pixels, digitPixels(sample, i));
        assert.ok(d < 0.005, `test digit ${i}: differs by ${d.toFixed(4)} on average`);
      }
    });

    it('stays close to MNIST for a digit scanned dark on white at 10x the size', async () => {
      const sample = mnistSample('test', 10);
      for (let i = 0; i < sample.count; i++) {
        const { pixels } = await prepareDigitImage(await digitImage(sample, i, { scale: 10, invert: true }));
        const d = meanAbsDiff(pixels, digitPixels(sample, i));
        assert.ok(d < 0.09, `test digit ${i}: differs by ${d.toFixed(3)} on average`);
      }
    });

    const refusals: Array<[string, () => Promise<Buffer>, string, RegExp]> = [
      ['an empty file', async () => Buffer.alloc(0), 'empty', /digit\.png: the file is empty \(0 bytes\)/],
      ['a text file', async () => Buffer.from('hello, this is not an image\n'), 'not-image', /digit\.png: not an image .*send a PNG/],
      ['a 100000x100000 PNG header (decompression bomb)', async () => pngHeader(100_000, 100_000), 'too-large', /100000x100000 pixels is over the limit of 24,000,000 pixels; scale the image down/],
      ['a truncated PNG', async () => (await drawnSeven()).subarray(0, 900), 'truncated', /PNG data is truncated or damaged/],
      ['a truncated JPEG', async () => { const j = await drawnSeven({ format: 'jpeg' }); return j.subarray(0, j.length >> 1); }, 'truncated', /JPEG data is truncated or damaged/],
      ['a blank white image', () => sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } }).png().toBuffer(), 'blank', /no digit found \(the image is blank/],
      ['a blank image with faint JPEG noise', () => sharp({ create: { width: 64, height: 64, channels: 3, background: '#777' } }).jpeg({ quality: 30 }).toBuffer(), 'blank', /no digit found/],
      ['an SVG', async () => Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'), 'unsupported-format', /SVG images are not accepted; convert it to one of png, jpeg/],
    ];
    for (const [label, make, problem, message] of refusals) {
      it(`refuses ${label} with a message naming the file and the fix`, async () => {
        const err = await refusal(prepareDigitImage(await make(), { name: 'digit.png' }));
        assert.equal(err.problem, problem);
        assert.match(err.message, message);
      });
    }

    it('applies a lower pixel cap when asked', async () => {
      const err = await refusal(prepareDigitImage(await drawnSeven(), { name: 'up', maxPixels: 10_000 }));
      assert.equal(err.problem, 'too-large');
      assert.match(err.message, /^up: 200x240 pixels is over the limit of 10,000 pixels/);
    });
  });

  describe('prepareDigitArray', () => {
    it('passes an MNIST digit through nearly unchanged', () => {
      const sample = mnistSample('test', 5);
      for (let i = 0; i < sample.count; i++) {
        const { pixels, source } = prepareDigitArray(digitPixels(sample, i));
        assert.equal(source.format, 'array');
        assert.ok(meanAbsDiff(pixels, digitPixels(sample, i)) < 0.005);
      }
    });

    it('accepts another size and either polarity', () => {
      const sample = mnistSample('test', 1);
      const inverted = Array.from(digitPixels(sample, 0), (v) => 1 - v);
      assert.ok(meanAbsDiff(prepareDigitArray(inverted).pixels, digitPixels(sample, 0)) < 0.005);
      const small = new Array(10 * 12).fill(0);
      for (let y = 2; y < 10; y++) small[y * 10 + 5] = 1; // a vertical bar: a "1"
      const s = shape(prepareDigitArray(small, 10, 12).pixels);
      assert.equal(s.height, 20);
    });

    const bad: Array<[string, ArrayLike<number>, number, number, RegExp]> = [
      ['too few values', new Array(783).fill(0), 28, 28, /got 783 values for a 28x28 image; send exactly 784/],
      ['a value over 1', Object.assign(new Array(784).fill(0), { 5: 255 }), 28, 28, /pixels\[5\] is 255; every value must be a number from 0 to 1/],
      ['a string', Object.assign(new Array(784).fill(0), { 0: 'x' }), 28, 28, /pixels\[0\] is "x"/],
      ['NaN', Object.assign(new Array(784).fill(0), { 0: NaN }), 28, 28, /pixels\[0\] is null/],
      ['a huge size', [], 100_000, 1, /size 100000x1 is not allowed/],
      ['all zeros', new Array(784).fill(0), 28, 28, /no digit found/],
    ];
    for (const [label, values, w, h, message] of bad) {
      it(`refuses ${label}`, () => {
        assert.throws(() => prepareDigitArray(values, w, h), (err: unknown) => err instanceof ImageError && message.test(err.message));
      });
    }
  });

  describe('digitPng', () => {
    it('encodes a 28x28 grayscale PNG that decodes to the same bytes', async () => {
      const pixels = Float32Array.from({ length: 784 }, (_, i) => (i % 256) / 255);
      const meta = await sharp(digitPng(pixels)).metadata();
      assert.deepEqual([meta.format, meta.width, meta.height, meta.channels], ['png', 28, 28, 1]);
      const raw = await sharp(digitPng(pixels)).extractChannel(0).raw().toBuffer();
      assert.deepEqual(Array.from(raw), Array.from({ length: 784 }, (_, i) => i % 256));
    });
  });
});
