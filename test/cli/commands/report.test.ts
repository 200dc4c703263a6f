import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadMnist } from '../../../src/data/mnist';
import { bestRun } from '../../../src/report/runs';
import { fakeGrid, fakePredictions, XSS_NAME } from '../../report/fixtures';
import { seedStore } from '../../report/store-fixture';
import { digits, plainEnv } from './helpers';

const MNIST = path.join(__dirname, '..', '..', '..', '..', 'shared', 'datasets', 'mnist');

describe('cli/commands/report', () => {
  let dir: string;
  let db: string;
  let bestId: string;
  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-cli-report-'));
    db = path.join(dir, 'digits.sqlite');
    const grid = fakeGrid({ count: 6, epochs: 4 });
    grid.runs[1].name = XSS_NAME;
    const best = grid.runs.indexOf(bestRun(grid.runs)!);
    const { test } = await loadMnist({ dataDir: MNIST, download: false });
    const count = 300;
    const predictions = fakePredictions(test.labels.subarray(0, count), undefined, 30);
    const stored = seedStore(db, path.join(dir, 'runs'), grid, { index: best, test: predictions });
    bestId = stored[best].id;
    seedStore(db, path.join(dir, 'runs'), fakeGrid({ count: 2, epochs: 3, experiment: 'rnn-grid', failed: 0 }));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('writes the report of an experiment, with the gallery from the best run folder, and prints its path', () => {
    const out = path.join(dir, 'out', 'cnn.html');
    const r = digits(['report', 'cnn-grid', '--db', db, '-o', out, '--data-dir', MNIST]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, `${out}\n`);
    assert.match(r.stderr, new RegExp(`^report of 7 runs, best by validation accuracy: .* \\(${bestId}\\), [0-9.]+ MB\\n$`));
    const html = fs.readFileSync(out, 'utf8');
    assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, 10); // 300 images, every 30th wrong
    assert.ok(html.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'));
    assert.doesNotMatch(html, /rnn-grid/);
  });

  it('reports chosen runs by id prefix', () => {
    const out = path.join(dir, 'one.html');
    const r = digits(['report', '--runs', bestId.slice(0, 10), '--db', db, '-o', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal((fs.readFileSync(out, 'utf8').match(/<tr( class="best")? data-run=/g) ?? []).length, 1);
  });

  it('exits 2 with one clear line when no run matches', () => {
    const r = digits(['report', 'cnn-gird', '--db', db, '-o', path.join(dir, 'none.html')]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'digits: no runs match experiment "cnn-gird": nothing to report. Experiments with runs: cnn-grid, rnn-grid.\n');
    assert.equal(r.stdout, '');
    assert.equal(fs.existsSync(path.join(dir, 'none.html')), false);
  });

  it('draws as many learning curves as --max-curves says, and exits 2 on a bad count', () => {
    const out = path.join(dir, 'two-curves.html');
    const r = digits(['report', 'cnn-grid', '--db', db, '-o', out, '--max-curves', '2']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(fs.readFileSync(out, 'utf8'), /Accuracy per epoch · the 2 best of \d+ runs by validation accuracy/);
    const bad = digits(['report', 'cnn-grid', '--db', db, '-o', out, '--max-curves', '0']);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr, 'digits: --max-curves must be a whole number of runs, at least 1; got 0\n');
  });

  it('exits 2 when the database does not exist', () => {
    const r = digits(['report', 'cnn-grid', '--db', path.join(dir, 'missing.sqlite')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^digits: no tracking database at .*missing\.sqlite/);
  });

  describe('-o to a place that cannot take the file: one line, exit 2', () => {
    const oneLine = (r: { code: number | null; stderr: string; stdout: string }, pattern: RegExp) => {
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.split('\n').filter(Boolean).length, 1, r.stderr);
      assert.match(r.stderr, pattern);
      assert.equal(r.stdout, '');
    };

    it('a folder', () => {
      const folder = fs.mkdirSync(path.join(dir, 'a-folder'), { recursive: true }) ?? path.join(dir, 'a-folder');
      oneLine(digits(['report', 'cnn-grid', '--db', db, '-o', folder]), /^digits: cannot write the report to .*a-folder: it is a folder; name the HTML file, e.g. .*a-folder\/report\.html$/m);
    });

    it('a path under a file', () => {
      const file = path.join(dir, 'a-file');
      fs.writeFileSync(file, 'x');
      oneLine(digits(['report', 'cnn-grid', '--db', db, '-o', path.join(file, 'r.html')]), /a part of the path is a file, not a folder \(ENOTDIR\)/);
    });

    it('a folder this user may not write (run as nobody; root ignores permissions)', function () {
      const probe = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', '0']);
      if (probe.status !== 0) {
        console.log(`      (skipped: cannot run a process as user nobody: ${String(probe.stderr || probe.error)})`);
        return this.skip();
      }
      const shared = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-report-perm-'));
      fs.chmodSync(shared, 0o777);
      fs.copyFileSync(db, path.join(shared, 'db.sqlite'));
      fs.chmodSync(path.join(shared, 'db.sqlite'), 0o666);
      const locked = path.join(shared, 'locked');
      fs.mkdirSync(locked, { mode: 0o755 }); // root's: nobody may not write here
      try {
        const bin = path.join(__dirname, '..', '..', '..', 'bin', 'digits.js');
        const r = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, bin, 'report', 'cnn-grid', '--db', path.join(shared, 'db.sqlite'), '-o', path.join(locked, 'r.html')], { encoding: 'utf8', env: plainEnv() });
        oneLine({ code: r.status, stderr: r.stderr, stdout: r.stdout }, /cannot write the report to .*locked\/r\.html: permission denied \(EACCES\)/);
      } finally {
        fs.rmSync(shared, { recursive: true, force: true });
      }
    });
  });
});
