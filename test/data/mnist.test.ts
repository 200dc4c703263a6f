import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { describeData, formatDataReport } from '../../src/data/describe';
import { MNIST_CHECKSUMS, MNIST_FILES } from '../../src/data/files';
import { encodeIdx } from '../../src/data/idx';
import { resolveDataDir } from '../../src/data/locate';
import { loadMnist } from '../../src/data/mnist';
import { isUserError } from '../../src/errors';
import { checksumsOf, gzipBomb, syntheticDigits, tinyMnistBytes, writeTinyMnist } from './fixtures';

const REAL_MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');

describe('data/mnist', () => {
  let root: string;
  let n = 0;
  const raw = tinyMnistBytes();
  const checksums = checksumsOf(raw);
  /** A fresh folder with the tiny MNIST and its own stamp file. */
  const freshDir = () => {
    const dir = path.join(root, `mnist-${n++}`);
    writeTinyMnist(dir, raw);
    return { dir, stampFile: path.join(dir, 'stamp.json') };
  };
  const userError = (pattern: RegExp) => (err: Error) => {
    assert.ok(isUserError(err), `not a UserError: ${err.stack}`);
    assert.match(err.message, pattern);
    return true;
  };

  before(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-mnist-'));
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  describe('resolveDataDir', () => {
    it('prefers the explicit folder, then DIGITS_DATA_DIR, then the user cache', () => {
      const env = { DIGITS_DATA_DIR: '/from/env', XDG_CACHE_HOME: '/xdg' };
      assert.deepEqual(resolveDataDir('/explicit', env), { dir: '/explicit', source: 'option' });
      assert.deepEqual(resolveDataDir(undefined, env), { dir: '/from/env', source: 'env' });
      assert.deepEqual(resolveDataDir(undefined, { XDG_CACHE_HOME: '/xdg' }), { dir: '/xdg/digit-lab/mnist', source: 'cache' });
      assert.equal(resolveDataDir(undefined, {}).dir, path.join(os.homedir(), '.cache/digit-lab/mnist'));
    });
  });

  describe('loadMnist', () => {
    it('loads and pairs the four files', async () => {
      const { dir, stampFile } = freshDir();
      const mnist = await loadMnist({ dataDir: dir, checksums, stampFile, download: false });
      assert.equal(mnist.dataDir, dir);
      assert.deepEqual([mnist.train.count, mnist.test.count], [6, 4]);
      assert.deepEqual(Array.from(mnist.train.labels), [0, 1, 2, 3, 4, 5]);
      assert.deepEqual(Buffer.from(mnist.test.images), Buffer.from(syntheticDigits(4).images.data));
    });

    it('reads raw (not gzipped) files too', async () => {
      const { dir, stampFile } = freshDir();
      const f = MNIST_FILES[3];
      fs.rmSync(path.join(dir, `${f.name}.gz`));
      fs.writeFileSync(path.join(dir, f.name), raw[f.part]);
      const mnist = await loadMnist({ dataDir: dir, checksums, stampFile, download: false });
      assert.deepEqual(Array.from(mnist.test.labels), [0, 1, 2, 3]);
    });

    it('says which files are missing and how to get them', async () => {
      const { dir, stampFile } = freshDir();
      fs.rmSync(path.join(dir, 'train-labels-idx1-ubyte.gz'));
      fs.rmSync(path.join(dir, 't10k-images-idx3-ubyte.gz'));
      await assert.rejects(
        loadMnist({ dataDir: dir, checksums, stampFile, download: false }),
        userError(/MNIST is incomplete in .*mnist-\d+: missing train-labels-idx1-ubyte\.gz, t10k-images-idx3-ubyte\.gz\. .*DIGITS_DATA_DIR/),
      );
    });

    it('rejects a file whose checksum does not match', async () => {
      const { dir, stampFile } = freshDir();
      const other = { ...checksums, testLabels: { ...checksums.testLabels, md5: '0'.repeat(32) } };
      await assert.rejects(
        loadMnist({ dataDir: dir, checksums: other, stampFile, download: false }),
        userError(/t10k-labels-idx1-ubyte\.gz: checksum mismatch: expected MD5 0{32} of the uncompressed bytes, found [0-9a-f]{32}; delete it/),
      );
    });

    it('rejects a file of the wrong uncompressed size', async () => {
      const { dir, stampFile } = freshDir();
      const other = { ...checksums, trainImages: { ...checksums.trainImages, bytes: 47040016 } };
      await assert.rejects(
        loadMnist({ dataDir: dir, checksums: other, stampFile, download: false }),
        userError(/train-images-idx3-ubyte\.gz: wrong size: expected 47040016 bytes once uncompressed, found 4720/),
      );
    });

    it('refuses a gzip bomb in place of a file as soon as it decompresses past the known size, without gigabytes of memory', async () => {
      const { dir, stampFile } = freshDir();
      fs.writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), gzipBomb());
      const real = { ...checksums, trainImages: MNIST_CHECKSUMS.trainImages };
      const started = Date.now();
      await assert.rejects(
        loadMnist({ dataDir: dir, checksums: real, stampFile, download: false }),
        userError(/train-images-idx3-ubyte\.gz: decompresses to more than the 47040016 bytes this file has .*gzip bomb\); stopped after 47105552 bytes; delete it/),
      );
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      assert.ok(process.resourceUsage().maxRSS < 2_500_000, `peak memory ${process.resourceUsage().maxRSS} kB`); // unbounded: over 4 GB
      // A file larger than any gzip of the expected bytes is refused before it is read.
      await assert.rejects(
        loadMnist({ dataDir: dir, checksums, stampFile, download: false }),
        userError(/train-images-idx3-ubyte\.gz: wrong size: \d+ bytes, more than the \d+ this file has uncompressed/),
      );
    });

    it('rejects images and labels whose counts differ', async () => {
      const { dir, stampFile } = freshDir();
      const fewer = encodeIdx(syntheticDigits(5).labels);
      fs.writeFileSync(path.join(dir, 'train-labels-idx1-ubyte.gz'), zlib.gzipSync(fewer));
      const other = { ...checksums, ...checksumsOf({ ...raw, trainLabels: fewer }) };
      await assert.rejects(
        loadMnist({ dataDir: dir, checksums: other, stampFile, download: false }),
        userError(/train-images-idx3-ubyte\.gz: count mismatch: it has 6 images but .*train-labels-idx1-ubyte\.gz has 5 labels/),
      );
    });

    it('skips the MD5 for stamped files but notices when a file changes', async () => {
      const { dir, stampFile } = freshDir();
      await loadMnist({ dataDir: dir, checksums, stampFile, download: false });
      const stamp = JSON.parse(fs.readFileSync(stampFile, 'utf8'));
      assert.equal(Object.keys(stamp.files).length, 4);
      // Same size, different bytes, stamp forged for the new file: trusted (the MD5 is skipped).
      const labelsFile = path.join(dir, 't10k-labels-idx1-ubyte.gz');
      const swapped = Buffer.from(raw.testLabels);
      swapped[8] = 9;
      fs.writeFileSync(labelsFile, zlib.gzipSync(swapped));
      const stat = fs.statSync(labelsFile);
      stamp.files[labelsFile] = { size: stat.size, mtimeMs: stat.mtimeMs, md5: checksums.testLabels.md5 };
      fs.writeFileSync(stampFile, JSON.stringify(stamp));
      assert.equal((await loadMnist({ dataDir: dir, checksums, stampFile, download: false })).test.labels[0], 9);
      // A later change of the file invalidates the stamp entry.
      fs.utimesSync(labelsFile, new Date(), new Date(Date.now() + 5000));
      await assert.rejects(loadMnist({ dataDir: dir, checksums, stampFile, download: false }), userError(/checksum mismatch/));
    });

    it('loads the real MNIST with the right counts and labels', async function () {
      const mnist = await loadMnist({ dataDir: REAL_MNIST, download: false, stampFile: null });
      assert.deepEqual([mnist.train.count, mnist.test.count], [60000, 10000]);
      assert.deepEqual([mnist.train.rows, mnist.train.cols], [28, 28]);
      assert.deepEqual(Array.from(mnist.train.labels.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
      assert.deepEqual(Array.from(mnist.test.labels.subarray(0, 10)), [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
      assert.equal(mnist.train.images.length, 60000 * 784);
      // The first training image (a 5) has ink in its middle row and none in its corner.
      assert.equal(mnist.train.images[0], 0);
      assert.ok(mnist.train.images.subarray(14 * 28, 15 * 28).some((p) => p > 128));
    });
  });

  describe('describeData', () => {
    it('reports verified, missing and invalid files', async () => {
      const { dir, stampFile } = freshDir();
      fs.rmSync(path.join(dir, 'train-images-idx3-ubyte.gz'));
      fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), '<html>');
      const report = await describeData(dir, { checksums, stampFile });
      assert.equal(report.dataDir, dir);
      assert.equal(report.source, 'option');
      assert.equal(report.ready, false);
      assert.deepEqual(report.files.map((f) => f.status), ['missing', 'verified', 'verified', 'invalid']);
      assert.equal(report.files[0].path, null);
      assert.match(report.files[3].problem ?? '', /not a gzip or IDX file/);
      const text = formatDataReport(report).split('\n');
      assert.equal(text[0], `MNIST data: ${dir} (from --data-dir)`);
      assert.match(text[1], /^ {2}train-images-idx3-ubyte\.gz +missing$/);
      assert.match(text[2], /^ {2}train-labels-idx1-ubyte\.gz +\d+ B {2}verified$/);
      assert.match(text[4], /^ {2}t10k-labels-idx1-ubyte\.gz +6 B {2}INVALID: .*not a gzip or IDX file/);
      assert.match(text[5], /downloaded on first use/);
    });

    it('says the real MNIST is ready', async () => {
      const report = await describeData(REAL_MNIST, { stampFile: path.join(root, 'real-stamp.json') });
      assert.equal(report.ready, true);
      assert.deepEqual(report.files.map((f) => f.name), MNIST_FILES.map((f) => `${f.name}.gz`));
    });
  });
});
