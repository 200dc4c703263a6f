import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { plainEnv } from '../cli/commands/helpers';
import { tinyGrid } from '../runner/helpers';

const REAL_MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');
const BIN = path.resolve(__dirname, '../../bin/digits.js');

/** Runs the built CLI as user nobody (root reads everything, so permissions need another user). */
function digitsAsNobody(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn('runuser', ['-u', 'nobody', '--', process.execPath, BIN, ...args], { env: { ...plainEnv(), ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * MNIST files and folders the user may not read (EACCES), through the real CLI run as user
 * nobody: one line naming the file or folder and the fix, exit 2, and no download started.
 */
describe('data (files this user may not read)', function () {
  this.timeout(120_000);
  let root: string;
  let mnist: string;
  let env: Record<string, string>;
  let server: http.Server;
  const requests: string[] = [];

  before(function (done) {
    const probe = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', '0']);
    if (probe.status !== 0) {
      console.log(`      (skipped: cannot run a process as user nobody: ${String(probe.stderr || probe.error)})`);
      this.skip();
    }
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-eacces-'));
    fs.chmodSync(root, 0o777);
    mnist = path.join(root, 'mnist');
    fs.mkdirSync(mnist, { mode: 0o755 });
    for (const f of fs.readdirSync(REAL_MNIST).filter((n) => n.endsWith('.gz'))) fs.copyFileSync(path.join(REAL_MNIST, f), path.join(mnist, f));
    // A mirror that counts requests: an unreadable folder must not start a download.
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      res.writeHead(404).end();
    });
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      const runs = path.join(root, 'runs'); // the user's own runs folder: only the MNIST files are out of reach
      fs.mkdirSync(runs, { mode: 0o777 });
      fs.chmodSync(runs, 0o777);
      env = { DIGITS_MNIST_MIRRORS: `http://127.0.0.1:${port}/`, XDG_CACHE_HOME: path.join(root, 'cache'), DIGITS_DB: '', DIGITS_DATA_DIR: '', DIGITS_RUNS_DIR: runs };
      done();
    });
  });
  after(() => {
    server?.close();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
  afterEach(() => {
    fs.chmodSync(mnist, 0o755);
    for (const f of fs.readdirSync(mnist)) fs.chmodSync(path.join(mnist, f), 0o644);
  });

  const assertOneLine = (r: { code: number | null; stderr: string }, pattern: RegExp) => {
    assert.equal(r.code, 2, r.stderr);
    const errors = r.stderr.split('\n').filter((l) => l.startsWith('digits:'));
    assert.equal(errors.length, 1, r.stderr);
    assert.match(errors[0], pattern);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace');
  };

  it('an unreadable MNIST file: digits train says which and how to fix it, exit 2', async () => {
    fs.chmodSync(path.join(mnist, 't10k-labels-idx1-ubyte.gz'), 0o000);
    const r = await digitsAsNobody(['train', '--data-dir', mnist, '--db', path.join(root, 'train.sqlite'), '--epochs', '1'], env);
    assertOneLine(r, /^digits: .*t10k-labels-idx1-ubyte\.gz: cannot be read: permission denied \(EACCES\); let this user read it \(chmod a\+r .*\) or point --data-dir/);
    assert.deepEqual(requests, []);
  });

  it('an MNIST folder this user may not enter: digits train and digits run say so, exit 2, and download nothing', async () => {
    fs.chmodSync(mnist, 0o700);
    const pattern = /^digits: cannot look into the MNIST folder .*mnist: permission denied \(EACCES\); let this user read it \(chmod a\+rx .*mnist\) or point --data-dir/;
    const train = await digitsAsNobody(['train', '--data-dir', mnist, '--db', path.join(root, 'train.sqlite'), '--epochs', '1'], env);
    assertOneLine(train, pattern);
    const file = tinyGrid(root, 'eacces', [1]);
    fs.chmodSync(file, 0o644);
    const run = await digitsAsNobody(['run', file, '--data-dir', mnist, '--db', path.join(root, 'run.sqlite'), '--no-report', '--workers', '1'], env);
    assertOneLine(run, pattern);
    assert.deepEqual(requests, [], 'a download was started');
    assert.deepEqual(fs.readdirSync(mnist).sort(), fs.readdirSync(REAL_MNIST).filter((n) => n.endsWith('.gz')).sort());
  });
});
