import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { isUserError } from '../../src/errors';
import { encodeIdx, readIdx, writeIdx } from '../../src/data/idx';
import { syntheticDigits } from './fixtures';

describe('data/idx', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-idx-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const { images, labels } = syntheticDigits(10);

  describe('writeIdx / readIdx', () => {
    for (const gzip of [true, false]) {
      it(`round-trips images and labels (${gzip ? 'gzip' : 'raw'})`, async () => {
        const ip = path.join(dir, `rt-images-${gzip}`);
        const lp = path.join(dir, `rt-labels-${gzip}`);
        writeIdx(ip, images, { gzip });
        writeIdx(lp, labels, { gzip });
        assert.equal(fs.readFileSync(ip)[0] === 0x1f, gzip);
        const gotImages = await readIdx(ip, 'images');
        const gotLabels = await readIdx(lp, 'labels');
        assert.equal(gotImages.count, 10);
        assert.deepEqual([gotImages.rows, gotImages.cols], [28, 28]);
        assert.deepEqual(Buffer.from(gotImages.data), Buffer.from(images.data));
        assert.deepEqual(Array.from(gotLabels.data), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      });
    }

    it('reads images of another size when told to', async () => {
      const p = path.join(dir, 'small.idx');
      writeIdx(p, { kind: 'images', count: 2, rows: 3, cols: 4, data: new Uint8Array(24).fill(7) });
      const got = await readIdx(p, 'images', { rows: 3, cols: 4 });
      assert.deepEqual([got.count, got.rows, got.cols, got.data.length], [2, 3, 4, 24]);
    });
  });

  describe('readIdx rejects damaged files', () => {
    const rawImages = encodeIdx(images);
    const rawLabels = encodeIdx(labels);
    const badLabels = Buffer.from(rawLabels);
    badLabels[8 + 3] = 12;
    const bigImages = encodeIdx({ kind: 'images', count: 1, rows: 32, cols: 32, data: new Uint8Array(1024) });
    const wrongMagic = Buffer.from(rawImages);
    wrongMagic.writeUInt32BE(0x12345678, 0);
    const gz = zlib.gzipSync(rawImages);

    const cases: { name: string; kind: 'images' | 'labels'; bytes: Buffer; message: RegExp }[] = [
      { name: 'an HTML page', kind: 'images', bytes: Buffer.from('<!DOCTYPE html><p>Not found'), message: /not a gzip or IDX file: .*found 3c 21 44 4f .*"<!DOCTYP" \(an HTML page, e.g. a mirror.s error page\)/ },
      { name: 'an empty file', kind: 'images', bytes: Buffer.alloc(0), message: /not a gzip or IDX file: .*found an empty file/ },
      { name: 'a cut gzip stream', kind: 'images', bytes: gz.subarray(0, gz.length - 40), message: /corrupt gzip data \(unexpected end of file\)/ },
      { name: 'gzip with garbage inside', kind: 'images', bytes: Buffer.concat([gz.subarray(0, 10), Buffer.alloc(50, 0xff)]), message: /corrupt gzip data \(/ },
      { name: 'a labels file given as images', kind: 'images', bytes: rawLabels, message: /wrong magic number: expected 2051 \(IDX images\), found magic 2049 \(IDX labels\): is this the labels file given in place of the images file\?/ },
      { name: 'an images file given as labels', kind: 'labels', bytes: rawImages, message: /wrong magic number: expected 2049 \(IDX labels\), found magic 2051/ },
      { name: 'a gzip of something else', kind: 'images', bytes: zlib.gzipSync(wrongMagic), message: /wrong magic number: expected 2051 \(IDX images\), found magic 305419896 \(0x12345678\), not an IDX file/ },
      { name: '32x32 images', kind: 'images', bytes: bigImages, message: /wrong image size: expected 28x28 images, found 32x32 \(not MNIST\)/ },
      { name: 'a truncated images header', kind: 'images', bytes: rawImages.subarray(0, 10), message: /truncated: an IDX images header is 16 bytes, found 10/ },
      { name: 'truncated images', kind: 'images', bytes: rawImages.subarray(0, 16 + 784 * 7 + 100), message: /truncated: header says 10 images, found 7 \(5588 of 7840 data bytes\)/ },
      { name: 'truncated labels', kind: 'labels', bytes: rawLabels.subarray(0, 12), message: /truncated: header says 10 labels, found 4 / },
      { name: 'trailing bytes', kind: 'images', bytes: Buffer.concat([rawImages, Buffer.alloc(5)]), message: /wrong size: 5 unexpected bytes after the 10 images the header announces/ },
      { name: 'a label above 9', kind: 'labels', bytes: badLabels, message: /label 12 at index 3 is out of range: digit labels are 0\.\.9/ },
    ];

    for (const c of cases) {
      it(`rejects ${c.name} with its own message`, async () => {
        const file = path.join(dir, 'bad-file.gz');
        fs.writeFileSync(file, c.bytes);
        await assert.rejects(readIdx(file, c.kind), (err: Error) => {
          assert.ok(isUserError(err), `not a UserError: ${err.stack}`);
          assert.match(err.message, c.message);
          assert.ok(err.message.startsWith(`${file}: `), `does not name the file: ${err.message}`);
          assert.match(err.message, /delete it so it is downloaded again/);
          return true;
        });
      });
    }

    it('gives every case a different message', async () => {
      const messages = new Set<string>();
      for (const c of cases) {
        const file = path.join(dir, 'bad-file.gz');
        fs.writeFileSync(file, c.bytes);
        await readIdx(file, c.kind).catch((err: Error) => messages.add(err.message));
      }
      assert.equal(messages.size, cases.length);
    });
  });
});
