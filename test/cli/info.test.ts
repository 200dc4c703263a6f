import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDigits } from './main.test';

const MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');

describe('cli/info', () => {
  it('shows the engine and four verified MNIST files', () => {
    const r = runDigits(['info', '--json'], { DIGITS_DATA_DIR: MNIST });
    assert.equal(r.code, 0, r.stderr);
    const info = JSON.parse(r.stdout);
    assert.ok(['node', 'wasm', 'cpu'].includes(info.engine.backend));
    assert.equal(info.data.ready, true);
    assert.deepEqual(info.data.files.map((f: { status: string }) => f.status), ['verified', 'verified', 'verified', 'verified']);
  });

  it('names a damaged file and what is wrong with it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-info-'));
    try {
      fs.writeFileSync(path.join(dir, 't10k-labels-idx1-ubyte.gz'), 'not gzip, not idx');
      const r = runDigits(['info', '--data-dir', dir], { XDG_CACHE_HOME: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /t10k-labels-idx1-ubyte\.gz.*INVALID/);
      assert.match(r.stdout, /train-images-idx3-ubyte\.gz\s+missing/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits 2 naming the valid choices for a bad DIGITS_BACKEND', () => {
    const r = runDigits(['info'], { DIGITS_BACKEND: 'gpu' });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /DIGITS_BACKEND="gpu".*node\|wasm\|cpu/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  });
});
