import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { selectBackend } from '../../src/engine';
import { evaluation, provenance, spec, summary, tempStore } from '../tracking/fixtures';
import { digitImage, mnistSample, saveTinyRun } from '../web/fixtures';

const bin = path.join(__dirname, '..', '..', 'bin', 'digits.js');

function digits(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [bin, ...args], { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, DIGITS_DB: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli/predict and cli/serve', () => {
  let dir: string;
  let runsDir: string;
  const labels: number[] = [];

  before(async function () {
    this.timeout(120_000);
    await selectBackend();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-cli-predict-'));
    runsDir = path.join(dir, 'runs');
    await saveTinyRun(runsDir, 'goodrun01', 'good', 'good dense');
    await saveTinyRun(runsDir, 'weakrun02', 'weak', 'weak dense');
    const sample = mnistSample('test', 4);
    for (let i = 0; i < 4; i++) {
      fs.writeFileSync(path.join(dir, `digit${i}.png`), await digitImage(sample, i, { scale: 5, invert: true }));
      labels.push(sample.labels[i]);
    }
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not an image');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('digits predict', () => {
    it('prints each image\'s digit and top 3 with the best run found in the run folders', () => {
      const r = digits(['predict', 'digit0.png', 'digit1.png', '--runs-dir', runsDir], dir);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^run goodrun01 "good dense", test accuracy \d+\.\d\d%\n/);
      assert.match(r.stdout, new RegExp(`digit0\\.png\\s+${labels[0]}\\s+${labels[0]}\\s+\\d+\\.\\d%`));
      assert.equal(r.stderr, '');
    });

    it('prints JSON for --json with the run named by --run', () => {
      const r = digits(['predict', 'digit0.png', 'digit1.png', 'digit2.png', '--run', 'good', '--json', '--runs-dir', runsDir], dir); // a unique prefix
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.equal(out.run.id, 'goodrun01');
      assert.deepEqual(out.predictions.map((p: { digit: number }) => p.digit), labels.slice(0, 3));
      assert.equal(out.predictions[0].probabilities.length, 10);
      assert.equal(out.predictions[0].top3.length, 3);
    });

    it('picks the best finished run from the tracking database with --best', () => {
      const { store, file, dir: dbDir } = tempStore();
      try {
        const run = store.createRun({ experiment: 'e', name: 'tracked run', trialHash: 'h', spec: spec(), seed: 1 });
        fs.cpSync(path.join(runsDir, 'goodrun01'), path.join(dbDir, run.id), { recursive: true });
        store.startRun(run.id, provenance(), path.join(dbDir, run.id));
        store.finishRun(run.id, { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.88) });
        store.close();
        const r = digits(['predict', 'digit3.png', '--best', '--db', file], dir);
        assert.equal(r.code, 0, r.stderr);
        assert.match(r.stdout, new RegExp(`^run ${run.id} "tracked run", test accuracy 88\\.00%`));
        assert.equal(r.stderr, '');
      } finally {
        fs.rmSync(dbDir, { recursive: true, force: true });
      }
    });

    const failures: Array<[string, string[], RegExp]> = [
      ['a missing file and a text file (the good image still printed)', ['predict', 'digit0.png', 'nope.png', 'notes.txt'], /nope\.png: no such file or folder; check the path\n.*notes\.txt: not an image .*\n.*2 of 3 images could not be read/s],
      ['a path-traversal run id', ['predict', 'digit0.png', '--run', '../../etc'], /run id "\.\.\/\.\.\/etc" is not valid/],
      ['an unknown run', ['predict', 'digit0.png', '--run', 'nosuchrun'], /no run with id "nosuchrun"/],
      ['--run with --best', ['predict', 'digit0.png', '--run', 'goodrun01', '--best'], /mutually exclusive/],
      ['a --db that does not exist', ['predict', 'digit0.png', '--db', 'missing.sqlite'], /no tracking database at .*missing\.sqlite/],
      ['a glob with a "[" left open (a literal "[")', ['predict', 'digit[', '--run', 'goodrun01'], /"digit\[": no file matches; check the pattern/],
    ];
    it('reads a folder and a quoted glob, writes CSV and JSON Lines, and saves the 28x28 inputs', () => {
      const folder = path.join(dir, 'scans');
      fs.mkdirSync(folder, { recursive: true });
      for (let i = 0; i < 3; i++) fs.copyFileSync(path.join(dir, `digit${i}.png`), path.join(folder, `d${i}.png`));
      fs.writeFileSync(path.join(folder, 'readme.txt'), 'not taken: not an image name');
      const csv = digits(['predict', 'scans', '--format', 'csv', '--runs-dir', runsDir, '--run', 'goodrun01'], dir);
      assert.equal(csv.code, 0, csv.stderr);
      const rows = csv.stdout.trim().split('\n');
      assert.match(rows[0], /^file,digit,confidence,unsure,p0,p1,p2,p3,p4,p5,p6,p7,p8,p9,/);
      assert.equal(rows.length, 4);
      assert.deepEqual(rows.slice(1).map((r) => Number(r.split(',')[1])), labels.slice(0, 3));
      const seen = path.join(dir, 'seen');
      const jsonl = digits(['predict', 'scans/d[01].png', '--format', 'jsonl', '--save-input', seen, '--runs-dir', runsDir, '--run', 'goodrun01'], dir);
      assert.equal(jsonl.code, 0, jsonl.stderr);
      const lines = jsonl.stdout.trim().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((l) => [path.basename(l.file), l.digit]), [['d0.png', labels[0]], ['d1.png', labels[1]]]);
      assert.deepEqual(fs.readdirSync(seen).sort(), ['d0.input.png', 'd1.input.png']);
      assert.deepEqual([...fs.readFileSync(path.join(seen, 'd0.input.png')).subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47]);
    });

    it('refuses /dev/zero and a FIFO at once, without reading them', function () {
      if (process.platform === 'win32') this.skip();
      const fifo = path.join(dir, 'pipe.png');
      spawnSync('mkfifo', [fifo]);
      const started = Date.now();
      const r = digits(['predict', '/dev/zero', fifo, 'digit0.png', '--runs-dir', runsDir], dir);
      assert.ok(Date.now() - started < 30_000);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /\/dev\/zero: is a character device, not an image file; give the path of a PNG/);
      assert.match(r.stderr, /pipe\.png: is a named pipe \(FIFO\), not an image file/);
      assert.match(r.stdout, /digit0\.png\s+\d/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });

    it('exits 2 with one line for a damaged weights.bin (truncated, or overwritten with NaN)', () => {
      for (const [label, damage] of [['truncated', (b: Buffer) => b.subarray(0, b.length - 7)], ['NaN', (b: Buffer) => Buffer.alloc(b.length, 0xff)]] as const) {
        const id = `damaged${label}`;
        fs.cpSync(path.join(runsDir, 'goodrun01'), path.join(runsDir, id), { recursive: true });
        const weights = path.join(runsDir, id, 'model', 'weights.bin');
        fs.writeFileSync(weights, damage(fs.readFileSync(weights)));
        const r = digits(['predict', 'digit0.png', '--run', id, '--runs-dir', runsDir], dir);
        fs.rmSync(path.join(runsDir, id), { recursive: true, force: true });
        assert.equal(r.code, 2, `${label}: ${r.stderr}`);
        assert.match(r.stderr, /^digits: .*model: .*the model files are damaged, retrain the run or restore them\n$/);
      }
    });

    for (const [label, args, message] of failures) {
      it(`exits 2 with a clean message for ${label}`, () => {
        const r = digits([...args, '--runs-dir', runsDir], dir);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, message);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      });
    }
  });

  describe('digits serve', () => {
    it('serves predictions until interrupted, then stops cleanly', async () => {
      const child = spawn(process.execPath, [bin, 'serve', '--port', '0', '--runs-dir', runsDir, '--run', 'weak'], { cwd: dir, env: { ...process.env, DIGITS_DB: '' } });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
      try {
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 30_000);
          child.stdout.on('data', () => {
            const m = /serving (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
            if (m) {
              clearTimeout(timer);
              resolve(m[1]);
            }
          });
        });
        assert.match(out, /model: run weakrun02 "weak dense"/);
        const res = await fetch(`${url}/api/predict`, { method: 'POST', body: new Uint8Array(fs.readFileSync(path.join(dir, 'digit0.png'))), headers: { 'content-type': 'image/png' } });
        assert.equal(res.status, 200);
        assert.equal((await res.json()).run.id, 'weakrun02');
      } finally {
        child.kill('SIGINT');
      }
      assert.equal(await exited, 0);
      assert.match(out, /POST \/api\/predict 200 [\d.]+ ms\n/);
      assert.match(out, /server stopped/);
    });

    it('exits 2 when the port is taken', async () => {
      const blocker = net.createServer();
      await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
      try {
        const port = (blocker.address() as net.AddressInfo).port;
        const r = digits(['serve', '--port', String(port), '--runs-dir', runsDir], dir);
        assert.equal(r.code, 2);
        assert.match(r.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use; stop the other server or pick another port with --port`));
      } finally {
        blocker.close();
      }
    });
  });
});
