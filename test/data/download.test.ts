import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import http from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { DownloadProgress, downloadMnist, mirrorList } from '../../src/data/download';
import { MNIST_CHECKSUMS, MNIST_FILES, MnistPart } from '../../src/data/files';
import { loadMnist } from '../../src/data/mnist';
import { isUserError } from '../../src/errors';
import { checksumsOf, gzipBomb, tinyMnistBytes } from './fixtures';

/**
 * A local MNIST "mirror" with one behaviour per path prefix:
 * /good/ serves the files, /redirect/ sends to /good/, /corrupt/ serves other digits (bad MD5),
 * /truncated/ closes the connection half way, /wrongsize/ serves 100 extra bytes, /missing/ is 404,
 * /html/ serves an error page with status 200, /stall/ sends a few bytes then nothing,
 * /silent/ never answers, /bomb/ serves a gzip bomb (4 GiB of zeros in 4 MB),
 * /huge/ declares a body of 10^12 bytes.
 */
function startMirror(raw: Record<MnistPart, Buffer>): Promise<{ server: http.Server; base: string; requests: string[] }> {
  const byName = new Map<string, MnistPart>(MNIST_FILES.map((f) => [`${f.name}.gz`, f.part]));
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const [, mode, name] = (req.url ?? '').split('/');
    const part = byName.get(name);
    if (!part || mode === 'missing') {
      res.writeHead(404).end('not here');
      return;
    }
    const good = zlib.gzipSync(raw[part]);
    const send = (body: Buffer): void => {
      res.writeHead(200, { 'content-length': body.length }).end(body);
    };
    switch (mode) {
      case 'good':
        return send(good);
      case 'redirect':
        res.writeHead(302, { location: `/good/${name}` }).end();
        return;
      case 'corrupt': {
        const other = Buffer.from(raw[part]);
        other[other.length - 1] ^= 1;
        return send(zlib.gzipSync(other));
      }
      case 'wrongsize':
        return send(zlib.gzipSync(Buffer.concat([raw[part], Buffer.alloc(100)])));
      case 'html':
        return send(Buffer.from('<!DOCTYPE html><title>Moved</title>'));
      case 'truncated':
        res.writeHead(200, { 'content-length': good.length });
        res.write(good.subarray(0, good.length >> 1), () => res.destroy());
        return;
      case 'stall':
        res.writeHead(200, { 'content-length': good.length });
        res.write(good.subarray(0, 10));
        return;
      case 'silent':
        return;
      case 'bomb':
        return send(gzipBomb());
      case 'huge':
        res.writeHead(200, { 'content-length': 1e12 });
        res.write(good.subarray(0, 10));
        return;
      default:
        res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, base: `http://127.0.0.1:${port}`, requests });
    });
  });
}

describe('data/download', () => {
  const raw = tinyMnistBytes();
  const checksums = checksumsOf(raw);
  // Generous where no timeout is expected (a loaded machine must not turn a 404 into a timeout).
  const fast = { requestTimeoutMs: 5000, stallTimeoutMs: 5000 };
  let root: string;
  let mirror: Awaited<ReturnType<typeof startMirror>>;
  let n = 0;
  const freshDir = () => path.join(root, `dl-${n++}`);
  const at = (...modes: string[]) => modes.map((m) => `${mirror.base}/${m}/`);

  before(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-dl-'));
    mirror = await startMirror(raw);
  });
  after(() => {
    mirror.server.closeAllConnections();
    mirror.server.close();
    fs.rmSync(root, { recursive: true, force: true });
  });

  describe('mirrorList', () => {
    it('takes the option, then DIGITS_MNIST_MIRRORS, then the defaults', () => {
      assert.deepEqual(mirrorList(['http://a/x'], { DIGITS_MNIST_MIRRORS: 'http://b/' }), ['http://a/x/']);
      assert.deepEqual(mirrorList(undefined, { DIGITS_MNIST_MIRRORS: ' http://b/ , https://c/m' }), ['http://b/', 'https://c/m/']);
      assert.ok(mirrorList(undefined, {}).length >= 2);
    });

    it('rejects a mirror that is not an http(s) URL', () => {
      assert.throws(() => mirrorList(undefined, { DIGITS_MNIST_MIRRORS: 'http://ok/,not a url' }), (err: Error) => {
        assert.ok(isUserError(err));
        assert.match(err.message, /DIGITS_MNIST_MIRRORS: "not a url" is not a URL/);
        return true;
      });
      assert.throws(() => mirrorList(['ftp://x/']), /"ftp:\/\/x\/" must be an http or https URL/);
    });
  });

  describe('downloadMnist', () => {
    it('downloads, verifies and places all four files, reporting progress', async () => {
      const dir = freshDir();
      const stampFile = path.join(dir, 'stamp.json');
      const progress: DownloadProgress[] = [];
      const paths = await downloadMnist(dir, { mirrors: at('good'), checksums, stampFile, ...fast, onProgress: (p) => progress.push(p) });
      assert.deepEqual(paths, MNIST_FILES.map((f) => path.join(dir, `${f.name}.gz`)));
      assert.deepEqual(fs.readdirSync(dir).sort(), [...MNIST_FILES.map((f) => `${f.name}.gz`), 'stamp.json'].sort());
      const last = progress.filter((p) => p.file === 't10k-labels-idx1-ubyte.gz').pop();
      assert.ok(last && last.total !== null && last.received === last.total && last.mirror === at('good')[0]);
      assert.equal(Object.keys(JSON.parse(fs.readFileSync(stampFile, 'utf8')).files).length, 4);
      const mnist = await loadMnist({ dataDir: dir, checksums, stampFile, download: false });
      assert.deepEqual(Array.from(mnist.train.labels), [0, 1, 2, 3, 4, 5]);
    });

    it('follows redirects', async () => {
      const dir = freshDir();
      await downloadMnist(dir, { mirrors: at('redirect'), checksums, stampFile: null, parts: ['testLabels'], ...fast });
      assert.deepEqual(fs.readdirSync(dir), ['t10k-labels-idx1-ubyte.gz']);
    });

    it('falls through failing mirrors to a good one', async () => {
      const dir = freshDir();
      const mirrors = at('missing', 'corrupt', 'truncated', 'stall', 'good');
      await downloadMnist(dir, { mirrors, checksums, stampFile: null, parts: ['trainImages'], ...fast, stallTimeoutMs: 1000 });
      assert.deepEqual(fs.readdirSync(dir), ['train-images-idx3-ubyte.gz']);
      assert.deepEqual(zlib.gunzipSync(fs.readFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'))), raw.trainImages);
    });

    it("lists every mirror's failure and how to place the files by hand when all fail", async () => {
      const dir = freshDir();
      const modes = ['missing', 'corrupt', 'truncated', 'wrongsize', 'html'];
      const closed = 'http://127.0.0.1:1/mnist/';
      await assert.rejects(
        downloadMnist(dir, { mirrors: [...at(...modes), closed], checksums, stampFile: null, parts: ['trainImages'], ...fast }),
        (err: Error) => {
          assert.ok(isUserError(err), err.stack);
          const lines = err.message.split('\n');
          assert.match(lines[0], /^Could not download train-images-idx3-ubyte\.gz into .*dl-\d+: every mirror failed:$/);
          const reasons = [
            /\/missing\/train-images-idx3-ubyte\.gz: HTTP 404 Not Found$/,
            /\/corrupt\/train-images-idx3-ubyte\.gz: verification failed: checksum mismatch: expected MD5 [0-9a-f]{32} of the uncompressed bytes, found [0-9a-f]{32}$/,
            /\/truncated\/train-images-idx3-ubyte\.gz: connection closed after \d+ of \d+ bytes/,
            /\/wrongsize\/train-images-idx3-ubyte\.gz: verification failed: wrong size: 100 unexpected bytes after the 6 images/,
            /\/html\/train-images-idx3-ubyte\.gz: verification failed: not a gzip or IDX file/,
            /127\.0\.0\.1:1\/mnist\/train-images-idx3-ubyte\.gz: connection refused/,
          ];
          assert.equal(lines.length, reasons.length + 2);
          reasons.forEach((r, i) => assert.match(lines[i + 1], r));
          assert.match(lines[lines.length - 1], /^To place the files by hand, copy train-images-idx3-ubyte\.gz, .* into .*dl-\d+, or point --data-dir or DIGITS_DATA_DIR/);
          return true;
        },
      );
      assert.deepEqual(fs.readdirSync(dir), [], 'a temporary file was left behind');
    });

    it('gives up on a mirror that stalls mid-file after the stall timeout', async () => {
      const dir = freshDir();
      await assert.rejects(
        downloadMnist(dir, { mirrors: at('stall'), checksums, stampFile: null, parts: ['testImages'], ...fast, stallTimeoutMs: 200 }),
        /\/stall\/t10k-images-idx3-ubyte\.gz: stalled: no data for 200 ms after 10 bytes\n/,
      );
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('refuses a gzip bomb from a mirror as soon as it decompresses past the known size, without gigabytes of memory', async () => {
      const dir = freshDir();
      const real = { ...checksums, trainImages: MNIST_CHECKSUMS.trainImages }; // 47 MB expected: the 4 MB bomb passes the size check
      gzipBomb();
      const started = Date.now();
      await assert.rejects(
        downloadMnist(dir, { mirrors: at('bomb'), checksums: real, stampFile: null, parts: ['trainImages'], ...fast }),
        (err: Error) => {
          assert.ok(isUserError(err), err.stack);
          assert.match(err.message, /\/bomb\/train-images-idx3-ubyte\.gz: verification failed: decompresses to more than the 47040016 bytes this file has \(a damaged file, another data set, or a gzip bomb\); stopped after 47105552 bytes/);
          return true;
        },
      );
      assert.ok(Date.now() - started < 10_000, `took ${Date.now() - started} ms`);
      assert.ok(process.resourceUsage().maxRSS < 2_500_000, `peak memory ${process.resourceUsage().maxRSS} kB`); // unbounded: over 4 GB
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('stops a download whose body is larger than the file can be', async () => {
      const dir = freshDir();
      await assert.rejects(
        downloadMnist(dir, { mirrors: at('huge'), checksums, stampFile: null, parts: ['testImages'], ...fast }),
        /\/huge\/t10k-images-idx3-ubyte\.gz: the file is 1000000000000 bytes, more than the \d+ it can be\n/,
      );
      assert.deepEqual(fs.readdirSync(dir), []);
    });

    it('gives up on a mirror that never answers after the request timeout', async () => {
      const dir = freshDir();
      await assert.rejects(
        downloadMnist(dir, { mirrors: at('silent'), checksums, stampFile: null, parts: ['testImages'], ...fast, requestTimeoutMs: 200 }),
        /\/silent\/t10k-images-idx3-ubyte\.gz: no response within 200 ms\n/,
      );
    });
  });

  describe('loadMnist with download', () => {
    it('fetches only the missing files', async () => {
      const dir = freshDir();
      await downloadMnist(dir, { mirrors: at('good'), checksums, stampFile: null, parts: ['trainImages', 'trainLabels'], ...fast });
      mirror.requests.length = 0;
      const mnist = await loadMnist({ dataDir: dir, mirrors: at('good'), checksums, stampFile: null, ...fast });
      assert.deepEqual(mirror.requests, ['/good/t10k-images-idx3-ubyte.gz', '/good/t10k-labels-idx1-ubyte.gz']);
      assert.equal(mnist.test.count, 4);
    });
  });
});
