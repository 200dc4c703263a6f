import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { selectBackend } from '../../src/engine';
import { DecodeSlots } from '../../src/web/decode-slots';
import { startServer } from '../../src/web/server';
import { folderCatalog } from '../../src/web/runs';
import { digitImage, grayscalePng, mnistSample, saveTinyRun } from './fixtures';

type Started = Awaited<ReturnType<typeof startServer>>;

/** A valid, tiny PNG of `width` x `height` white pixels (deflate squeezes millions of pixels into a few KB). */
function whitePng(width: number, height: number): Buffer {
  const rows = Buffer.alloc((width + 1) * height, 255);
  for (let y = 0; y < height; y++) rows[y * (width + 1)] = 0; // filter byte: none
  return grayscalePng(width, height, zlib.deflateSync(rows, { level: 9 }));
}

/** POSTs raw bytes with the given headers over a plain socket-level request (no FormData repairs). */
function rawPost(url: string, body: Buffer, headers: Record<string, string>): Promise<{ status: number; json: any }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: 'POST', headers: { ...headers, 'content-length': String(body.length) } }, (res) => {
      let text = '';
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(text) }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

async function health(url: string) {
  return (await fetch(`${url}/healthz`)).json();
}

describe('web/server limits', () => {
  let runsDir: string;
  let server: Started;

  before(async function () {
    this.timeout(120_000);
    await selectBackend();
    runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-web-limits-'));
    await saveTinyRun(runsDir, 'tiny-a', 'good', 'tiny dense A');
    server = await startServer({ catalog: folderCatalog(runsDir), host: '127.0.0.1', port: 0, timeoutMs: 2000 });
  });
  after(async () => {
    await server?.close();
    fs.rmSync(runsDir, { recursive: true, force: true });
  });

  describe('hostile images', () => {
    it('refuses 40 concurrent 1x20,000,000-pixel PNGs from the header, in little CPU time, and keeps serving', async function () {
      this.timeout(60_000);
      const bomb = whitePng(20_000_000, 1);
      const before = await health(server.url);
      const answers = await Promise.all(Array.from({ length: 40 }, () => rawPost(`${server.url}/api/predict`, bomb, { 'content-type': 'image/png' })));
      for (const r of answers) {
        assert.equal(r.status, 422, JSON.stringify(r.json));
        assert.equal(r.json.error, 'bad_image_shape');
        assert.match(r.json.message, /20000000x1 pixels is not the shape of a digit/);
      }
      const after = await health(server.url);
      assert.ok(after.cpuSeconds - before.cpuSeconds < 5, `the server spent ${after.cpuSeconds - before.cpuSeconds} CPU seconds`);
      const ok = await rawPost(`${server.url}/api/predict`, await digitImage(mnistSample('test', 1), 0), { 'content-type': 'image/png' });
      assert.equal(ok.status, 200);
    });

    it('decodes at most two large images at once; uploads still waiting when their request times out are dropped', async function () {
      this.timeout(120_000);
      // Enough decodes, and a timeout short enough, that some must still wait when it fires even on an idle machine
      // (each decode inflates 23 MB; 32 of them two at a time take far longer than 100 ms).
      const slow = await startServer({ catalog: folderCatalog(runsDir), port: 0, timeoutMs: 100, maxDecodes: 2 });
      try {
        const big = whitePng(4800, 4800); // 23 megapixels, under the cap, a few KB
        let most = 0, polling = true;
        const poll = (async () => {
          while (polling) {
            most = Math.max(most, (await health(slow.url)).decodes.running);
            await new Promise((r) => setTimeout(r, 20));
          }
        })();
        const answers = await Promise.all(Array.from({ length: 32 }, () => rawPost(`${slow.url}/api/predict`, big, { 'content-type': 'image/png' })));
        polling = false;
        await poll;
        const statuses = answers.map((r) => r.status);
        assert.ok(statuses.every((s) => s === 503 || s === 422), `only timeouts and blank images: ${JSON.stringify(statuses)}`);
        assert.ok(statuses.includes(503), `32 decodes of 23 megapixels two at a time outlast a 100 ms timeout: ${JSON.stringify(statuses)}`);
        assert.ok(most <= 2, `${most} decodes ran at once`);
        const load = (await health(slow.url)).decodes;
        assert.ok(load.running <= 2, `running ${load.running}`);
        assert.equal(load.waiting, 0, 'timed-out uploads do not wait for a decode');
      } finally {
        await slow.close();
      }
    });
  });

  describe('malformed multipart uploads', () => {
    const cases: Array<[string, string, () => Buffer]> = [
      ['a body that is not multipart at all', 'multipart/form-data; boundary=XyZ', () => Buffer.from('hello, not a form')],
      ['a form cut off before its closing boundary', 'multipart/form-data; boundary=XyZ', () => Buffer.from('--XyZ\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n\x89PNG partial')],
      ['a part without headers', 'multipart/form-data; boundary=XyZ', () => Buffer.from('--XyZ\r\n\r\n\r\n--XyZ--\r\n')],
      ['no boundary parameter', 'multipart/form-data', () => Buffer.from('--XyZ\r\n\r\n--XyZ--\r\n')],
    ];
    for (const [label, type, body] of cases) {
      it(`answers ${label} with 400, not 500`, async () => {
        const r = await rawPost(`${server.url}/api/predict`, body(), { 'content-type': type });
        assert.equal(r.status, 400, JSON.stringify(r.json));
        assert.match(r.json.error, /^(bad_multipart|no_file)$/);
        assert.doesNotMatch(r.json.message, /internal|bug/);
      });
    }
  });

  describe('DecodeSlots', () => {
    it('runs at most `limit` jobs at once and skips waiters whose signal aborted', async () => {
      const slots = new DecodeSlots(2);
      let running = 0, most = 0, ran = 0;
      const job = () => slots.run(async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 20));
        running--;
        ran++;
      });
      const controller = new AbortController();
      const first = [job(), job()]; // take both slots
      const skipped = slots.run(async () => { ran += 100; }, controller.signal);
      const later = [job(), job()];
      controller.abort(new Error('gave up'));
      await assert.rejects(skipped, /gave up/);
      await Promise.all([...first, ...later]);
      assert.equal(most, 2);
      assert.equal(ran, 4);
    });
  });
});
