import assert from 'node:assert/strict';
import { decodeSimplePng } from '../../src/data/image-png';
import { digitGridPng, digitPixels, tileDigitsPng } from '../../src/notebook/images';
import { barDigits } from './fixtures';

function decode(png: Buffer) {
  const raw = decodeSimplePng(png, 10_000_000);
  assert.ok(raw, 'a PNG the simple decoder reads');
  assert.equal(raw.channels, 1);
  return raw;
}

describe('notebook', () => {
  describe('tileDigitsPng', () => {
    it('lays tiles out row by row, scaled with whole pixels and separated by gray gaps', () => {
      const a = Uint8Array.from([0, 10, 20, 30]); // 2 x 2
      const b = Uint8Array.from([40, 50, 60, 70]);
      const c = Uint8Array.from([80, 90, 100, 110]);
      const raw = decode(tileDigitsPng([a, b, c], 2, 2, 2, { scale: 2, gap: 1, gapGray: 7 }));
      assert.equal(raw.width, 2 * 4 + 1);
      assert.equal(raw.height, 2 * 4 + 1);
      const at = (x: number, y: number) => raw.data[y * raw.width + x];
      assert.deepEqual([at(0, 0), at(1, 1), at(2, 0), at(3, 3)], [0, 0, 10, 30]); // tile a, scaled 2x
      assert.equal(at(4, 0), 7); // the gap column
      assert.deepEqual([at(5, 0), at(7, 2)], [40, 70]); // tile b: (0, 0) and (1, 1)
      assert.deepEqual([at(0, 5), at(3, 8)], [80, 110]); // tile c, second row
      assert.equal(at(5, 5), 7); // the empty fourth cell stays gap-gray
    });

    it('rejects images of the wrong size and a scale that is not a whole number', () => {
      assert.throws(() => tileDigitsPng([new Uint8Array(3)], 1, 2, 2), /image 0 has 3 pixels, not 2x2/);
      assert.throws(() => tileDigitsPng([new Uint8Array(4)], 1, 2, 2, { scale: 1.5 }), /scale must be a whole number/);
      assert.throws(() => tileDigitsPng([], 1, 2, 2), /nothing to tile/);
    });
  });

  describe('digitGridPng', () => {
    it('puts class k on row k, the first examples of that class in order', () => {
      const set = barDigits(40); // labels 0..9 repeating; bar of class k on row 2k+4
      const raw = decode(digitGridPng(set, 3, { scale: 1, gap: 0 }));
      assert.equal(raw.width, 3 * 28);
      assert.equal(raw.height, 10 * 28);
      for (let label = 0; label < 10; label++) {
        for (let col = 0; col < 3; col++) {
          const index = label + 10 * col; // the col-th digit of this class
          const y0 = label * 28;
          const x0 = col * 28;
          assert.equal(raw.data[(y0 + 2 * label + 4) * raw.width + x0 + 10], 255, `bar of class ${label}`);
          assert.equal(raw.data[y0 * raw.width + x0], index % 256, `digit ${index} at row ${label}, column ${col}`);
        }
      }
    });

    it('leaves black tiles where a class has fewer examples than asked for', () => {
      const raw = decode(digitGridPng(barDigits(10), 2, { scale: 1, gap: 0 }));
      // Ten digits: one per class, so every class's second tile (x 28..55) is black.
      for (let y = 0; y < 28; y++) for (let x = 28; x < 56; x++) assert.equal(raw.data[y * raw.width + x], 0);
    });
  });

  describe('digitPixels', () => {
    it('returns a view of one digit and rejects an index outside the set', () => {
      const set = barDigits(3);
      assert.equal(digitPixels(set, 2)[0], 2);
      assert.equal(digitPixels(set, 2).length, 784);
      assert.throws(() => digitPixels(set, 3), /index 3 is outside 0..2/);
    });
  });
});
