import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import sharp from 'sharp';
import { selectBackend } from '../../src/engine';
import { startServer } from '../../src/web/server';
import { folderCatalog } from '../../src/web/runs';
import { digitImage, digitPixels, drawnSeven, mnistSample, saveTinyRun } from './fixtures';

type Started = Awaited<ReturnType<typeof startServer>>;

type Body = Buffer | Uint8Array | string | FormData | undefined;

async function post(url: string, body: Body, headers: Record<string, string> = {}) {
  const payload = body instanceof Uint8Array ? new Uint8Array(body).buffer : body; // a plain ArrayBuffer copy
  const res = await fetch(url, { method: 'POST', body: payload, headers });
  const text = await res.text();
  let json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  try {
    json = JSON.parse(text);
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json };
}

function multipart(bytes: Buffer, filename = 'digit.png', type = 'image/png'): FormData {
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
  return form;
}

/** A PNG header claiming 50000x50000 pixels, with a tiny body. */
function bombHeader(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    Buffer.concat([Buffer.from(type), data]).copy(out, 4);
    out.writeUInt32BE(zlib.crc32(Buffer.concat([Buffer.from(type), data])) >>> 0, 8 + data.length);
    return out;
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(50_000, 0);
  ihdr.writeUInt32BE(50_000, 4);
  ihdr[8] = 8;
  return Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(Buffer.alloc(100))), chunk('IEND', Buffer.alloc(0))]);
}

describe('web/server', () => {
  let runsDir: string;
  let server: Started;
  let accuracyA: number;
  const test = () => mnistSample('test', 40);

  before(async function () {
    this.timeout(120_000);
    await selectBackend();
    runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-web-'));
    accuracyA = await saveTinyRun(runsDir, 'tiny-a', 'good', 'tiny dense A');
    await saveTinyRun(runsDir, 'tiny-b', 'weak', 'tiny dense B');
    fs.mkdirSync(path.join(runsDir, 'no-model'));
    fs.writeFileSync(path.join(runsDir, 'no-model', 'metrics.json'), '{"test":{"accuracy":0.5}}');
    server = await startServer({ catalog: folderCatalog(runsDir), host: '127.0.0.1', port: 0 });
  });
  after(async () => {
    await server?.close();
    fs.rmSync(runsDir, { recursive: true, force: true });
  });

  describe('GET /healthz and /api/runs', () => {
    it('answers health and lists finished runs with the best one as default', async () => {
      const health = await (await fetch(`${server.url}/healthz`)).json();
      assert.equal(health.ok, true);
      assert.ok(health.rssMb > 10, `rssMb ${health.rssMb}`);
      assert.ok(health.heapUsedMb > 1 && health.heapUsedMb < health.rssMb, `heapUsedMb ${health.heapUsedMb}`);
      const runs = await (await fetch(`${server.url}/api/runs`)).json();
      assert.deepEqual(runs.runs.map((r: { id: string }) => r.id).sort(), ['tiny-a', 'tiny-b']);
      assert.equal(runs.defaultRun, 'tiny-a');
      const a = runs.runs.find((r: { id: string }) => r.id === 'tiny-a');
      assert.equal(a.name, 'tiny dense A');
      assert.equal(a.testAccuracy, accuracyA);
    });
  });

  describe('POST /api/predict', () => {
    it('predicts real MNIST test digits sent as PNG bodies', async () => {
      let correct = 0;
      for (let i = 0; i < 20; i++) {
        const { status, json } = await post(`${server.url}/api/predict`, await digitImage(test(), i), { 'content-type': 'image/png' });
        assert.equal(status, 200, JSON.stringify(json));
        assert.equal(json.probabilities.length, 10);
        assert.ok(Math.abs(json.probabilities.reduce((a: number, b: number) => a + b, 0) - 1) < 1e-3);
        assert.equal(json.digit, json.top3[0].digit);
        assert.deepEqual(json.run, { id: 'tiny-a', name: 'tiny dense A', testAccuracy: accuracyA });
        if (json.digit === test().labels[i]) correct++;
      }
      assert.ok(correct >= 16, `only ${correct} of 20 right`);
    });

    it('returns the 28x28 the model received as a PNG data URL', async () => {
      const { json } = await post(`${server.url}/api/predict`, await digitImage(test(), 0, { scale: 8, invert: true }), { 'content-type': 'image/png' });
      assert.equal(json.digit, 7);
      const match = /^data:image\/png;base64,(.+)$/.exec(json.input);
      assert.ok(match);
      const meta = await sharp(Buffer.from(match[1], 'base64')).metadata();
      assert.deepEqual([meta.width, meta.height], [28, 28]);
    });

    it('accepts a multipart upload, JSON pixels and a JPEG drawing, and ?run= picks the model', async () => {
      const a = await post(`${server.url}/api/predict`, multipart(await digitImage(test(), 1), 'two.png'));
      assert.equal(a.status, 200);
      assert.equal(a.json.digit, test().labels[1]);
      const b = await post(`${server.url}/api/predict?run=tiny-b`, JSON.stringify({ pixels: Array.from(digitPixels(test(), 1)) }), { 'content-type': 'application/json' });
      assert.equal(b.status, 200);
      assert.equal(b.json.run.id, 'tiny-b');
      assert.notDeepEqual(b.json.probabilities, a.json.probabilities);
      const prefixed = await post(`${server.url}/api/predict?run=tiny-`, JSON.stringify({ pixels: Array.from(digitPixels(test(), 1)) }), { 'content-type': 'application/json' });
      assert.equal(prefixed.status, 400, 'tiny- matches tiny-a and tiny-b');
      assert.equal(prefixed.json.error, 'ambiguous_run_id');
      assert.match(prefixed.json.message, /run id prefix "tiny-" is ambiguous; it matches 2 runs:\n {2}tiny-a\n {2}tiny-b/);
      const c = await post(`${server.url}/api/predict`, await drawnSeven({ format: 'jpeg' }), { 'content-type': 'image/jpeg' });
      assert.equal(c.status, 200);
    });

    it('gives each of many concurrent requests its own answer (batched)', async () => {
      const images = await Promise.all(Array.from({ length: 24 }, (_, i) => digitImage(test(), i)));
      const one = await Promise.all(images.slice(0, 4).map((img) => post(`${server.url}/api/predict`, img, { 'content-type': 'image/png' })));
      const all = await Promise.all(images.map((img) => post(`${server.url}/api/predict`, img, { 'content-type': 'image/png' })));
      all.forEach((r) => assert.equal(r.status, 200));
      const tensors = (await (await fetch(`${server.url}/healthz`)).json()).tensors;
      await Promise.all(images.map((img) => post(`${server.url}/api/predict`, img, { 'content-type': 'image/png' })));
      assert.equal((await (await fetch(`${server.url}/healthz`)).json()).tensors, tensors, 'no tensors leak per request');
      for (let i = 0; i < 4; i++) {
        all[i].json.probabilities.forEach((p: number, d: number) => assert.ok(Math.abs(p - one[i].json.probabilities[d]) < 1e-5));
      }
      assert.ok(new Set(all.map((r) => r.json.digit)).size >= 5, 'different digits get different answers');
    });

    const bad: Array<[string, () => Promise<{ body?: Body; headers?: Record<string, string>; query?: string }>, number, string, RegExp]> = [
      ['a text/plain body', async () => ({ body: 'hello', headers: { 'content-type': 'text/plain' } }), 415, 'unsupported_media_type', /text\/plain.*send an image body/],
      ['an SVG', async () => ({ body: '<svg xmlns="http://www.w3.org/2000/svg"/>', headers: { 'content-type': 'image/svg+xml' } }), 415, 'unsupported_media_type', /"image\/svg\+xml" is not accepted/],
      ['text bytes labelled image/png', async () => ({ body: 'not a png', headers: { 'content-type': 'image/png' } }), 415, 'not_an_image', /upload: not an image/],
      ['an empty image/png body', async () => ({ body: '', headers: { 'content-type': 'image/png' } }), 400, 'empty_body', /upload: the file is empty/],
      ['a 6 MB body', async () => ({ body: new Uint8Array(6 * 1024 * 1024), headers: { 'content-type': 'image/png' } }), 413, 'body_too_large', /larger than the 5 MB limit/],
      ['a 6 MB multipart file', async () => ({ body: multipart(Buffer.alloc(6 * 1024 * 1024)) }), 413, 'body_too_large', /larger than the 5 MB limit/],
      ['a 50000x50000 PNG header', async () => ({ body: bombHeader(), headers: { 'content-type': 'image/png' } }), 413, 'image_too_large', /50000x50000 pixels is over the limit/],
      ['a truncated PNG', async () => ({ body: (await drawnSeven()).subarray(0, 700), headers: { 'content-type': 'image/png' } }), 422, 'damaged_image', /truncated or damaged/],
      ['a truncated multipart upload', async () => ({ body: multipart((await drawnSeven()).subarray(0, 700), 'seven.png') }), 422, 'damaged_image', /upload "seven\.png": the PNG data is truncated/],
      ['a blank image', async () => ({ body: await sharp({ create: { width: 50, height: 50, channels: 3, background: '#fff' } }).png().toBuffer(), headers: { 'content-type': 'image/png' } }), 422, 'blank_image', /no digit found/],
      ['malformed JSON', async () => ({ body: '{"pixels": [1, 2', headers: { 'content-type': 'application/json' } }), 400, 'bad_json', /JSON body is not valid/],
      ['JSON with 10 pixels', async () => ({ body: '{"pixels": [0,0,0,0,0,0,0,0,0,1]}', headers: { 'content-type': 'application/json' } }), 400, 'bad_pixels', /got 10 values for a 28x28 image/],
      ['a multipart form without a file', async () => { const f = new FormData(); f.append('note', 'hi'); return { body: f }; }, 400, 'no_file', /no file/],
      ['a traversal run id', async () => ({ body: await digitImage(test(), 0), headers: { 'content-type': 'image/png' }, query: '?run=../../etc' }), 400, 'bad_run_id', /run id "\.\.\/\.\.\/etc" is not valid/],
      ['an encoded traversal run id', async () => ({ body: await digitImage(test(), 0), headers: { 'content-type': 'image/png' }, query: '?run=%2e%2e%2f%2e%2e%2fetc%2fpasswd' }), 400, 'bad_run_id', /not valid/],
      ['an unknown run', async () => ({ body: await digitImage(test(), 0), headers: { 'content-type': 'image/png' }, query: '?run=nope' }), 404, 'unknown_run', /no run with id "nope"/],
      ['a run without a model', async () => ({ body: await digitImage(test(), 0), headers: { 'content-type': 'image/png' }, query: '?run=no-model' }), 404, 'no_model', /run "no-model" has no saved model/],
    ];
    for (const [label, make, status, error, message] of bad) {
      it(`answers ${label} with ${status} ${error} and keeps serving`, async () => {
        const { body, headers, query = '' } = await make();
        const r = await post(`${server.url}/api/predict${query}`, body, headers);
        assert.equal(r.status, status, JSON.stringify(r.json));
        assert.equal(r.json.error, error);
        assert.match(r.json.message, message);
        const again = await post(`${server.url}/api/predict`, await digitImage(test(), 2), { 'content-type': 'image/png' });
        assert.equal(again.status, 200);
      });
    }

    it('answers unknown paths with a JSON 404', async () => {
      const res = await fetch(`${server.url}/api/nothing`);
      assert.equal(res.status, 404);
      assert.equal((await res.json()).error, 'not_found');
    });
  });

  describe('limits and the model cache', () => {
    it('keeps at most cacheSize models loaded, dropping the least recently used', async () => {
      const small = await startServer({ catalog: folderCatalog(runsDir), port: 0, cacheSize: 1, preload: true });
      assert.deepEqual((await (await fetch(`${small.url}/healthz`)).json()).loadedRuns, ['tiny-a'], 'preloaded');
      try {
        const img = await digitImage(test(), 3);
        assert.equal((await post(`${small.url}/api/predict?run=tiny-a`, img, { 'content-type': 'image/png' })).status, 200);
        assert.deepEqual((await (await fetch(`${small.url}/healthz`)).json()).loadedRuns, ['tiny-a']);
        assert.equal((await post(`${small.url}/api/predict?run=tiny-b`, img, { 'content-type': 'image/png' })).status, 200);
        assert.deepEqual((await (await fetch(`${small.url}/healthz`)).json()).loadedRuns, ['tiny-b']);
        assert.equal((await post(`${small.url}/api/predict?run=tiny-a`, img, { 'content-type': 'image/png' })).status, 200);
      } finally {
        await small.close();
      }
    });

    it('answers 503 when a prediction runs past the timeout', async () => {
      const slow = await startServer({ catalog: folderCatalog(runsDir), port: 0, timeoutMs: 1 });
      try {
        const r = await post(`${slow.url}/api/predict`, await drawnSeven({ width: 2000, height: 2400 }), { 'content-type': 'image/png' });
        assert.equal(r.status, 503);
        assert.equal(r.json.error, 'timeout');
      } finally {
        await slow.close();
      }
    });
  });
});
