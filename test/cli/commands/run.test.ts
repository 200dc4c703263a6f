import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digits, tinyGrid } from '../../runner/helpers';

describe('cli/commands', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-run-json-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('run --json', () => {
    it('prints one JSON document with every trial\'s outcome on stdout, the view on stderr; --dry-run --json lists the trials', async () => {
      const file = tinyGrid(dir, 'json-grid', [1, 2]);
      const db = path.join(dir, 'db.sqlite');
      const r = await digits(['run', file, '--json', '--workers', '1', '--no-report', '--db', db]);
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(Object.keys(doc)[0], 'schemaVersion');
      assert.deepEqual([doc.schemaVersion, doc.experiment, doc.total, doc.interrupted, doc.report], [1, 'json-grid', 2, false, null]);
      assert.deepEqual(doc.trials.map((t: { name: string; status: string }) => `${t.name}:${t.status}`), ['seed=1:finished', 'seed=2:finished']);
      assert.ok(doc.trials.every((t: { runId: string; testAccuracy: number }) => /^\w{12}$/.test(t.runId) && t.testAccuracy > 0));
      assert.match(r.stderr, /finished "seed=1"/);

      const dry = await digits(['run', file, '--json', '--dry-run', '--db', db]);
      assert.equal(dry.code, 0, dry.stderr);
      assert.deepEqual(JSON.parse(dry.stdout).trials.map((t: { status: string }) => t.status), ['finished', 'finished']);
    });
  });

  describe('run: experiment names as file names', () => {
    const names: [string, string][] = [
      ['../../escaped', 'a name with ../ writes its report inside --report-dir'],
      ['sub/dir', 'a name with / creates no folders'],
      ['nul\\0byte', 'a name with a NUL byte does not crash after training'],
      ['n'.repeat(300), 'a name over 255 characters does not crash after training'],
    ];
    for (const [name, title] of names) {
      it(title, async () => {
        const sub = fs.mkdtempSync(path.join(dir, 'name-'));
        const file = tinyGrid(sub, 'named', [1]);
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('name: named', `name: "${name}"`));
        const reportDir = path.join(sub, 'a', 'b', 'reports');
        const r = await digits(['run', file, '--workers', '1', '--db', path.join(sub, 'db.sqlite'), '--report-dir', reportDir]);
        assert.equal(r.code, 0, r.stderr);
        const written = fs.readdirSync(reportDir);
        assert.equal(written.length, 1, written.join(', '));
        assert.ok(fs.statSync(path.join(reportDir, written[0])).isFile());
        assert.ok(Buffer.byteLength(written[0]) <= 255, written[0]);
        assert.match(written[0], /^[A-Za-z0-9_+-][A-Za-z0-9._+-]*\.html$/);
        assert.ok(r.stdout.includes(`report: ${path.join(reportDir, written[0])} (1 runs)`), r.stdout);
        assert.equal(fs.existsSync(path.join(sub, 'escaped.html')) || fs.existsSync(path.join(sub, 'a', 'escaped.html')), false);
      });
    }

    it('refuses an unwritable --report-dir before training, with one line and exit 2', async () => {
      const sub = fs.mkdtempSync(path.join(dir, 'report-dir-'));
      const file = tinyGrid(sub, 'blocked', [1]);
      fs.writeFileSync(path.join(sub, 'plain-file'), 'not a folder');
      const db = path.join(sub, 'db.sqlite');
      const r = await digits(['run', file, '--workers', '1', '--db', db, '--report-dir', path.join(sub, 'plain-file', 'reports')]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /^digits: cannot write the report to .*plain-file\/reports\/blocked\.html: a part of the path is a file, not a folder \(ENOTDIR\)/m);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.equal(fs.existsSync(db), false, 'nothing trained');
    });
  });

  describe('run: a renamed copy of a finished experiment', () => {
    it('trains nothing, and reports and ranks the runs its trials matched', async () => {
      const db = path.join(dir, 'renamed.sqlite');
      const reportDir = path.join(dir, 'renamed-reports');
      const original = tinyGrid(dir, 'original', [1, 2]);
      const first = await digits(['run', original, '--workers', '1', '--db', db, '--report-dir', reportDir]);
      assert.equal(first.code, 0, first.stderr);
      const copy = path.join(dir, 'copy.yaml');
      fs.writeFileSync(copy, fs.readFileSync(original, 'utf8').replace('name: original', 'name: copy'));
      const r = await digits(['run', copy, '--workers', '1', '--db', db, '--report-dir', reportDir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /2 of 2 trials already finished; nothing to run/);
      assert.ok(r.stdout.includes(`report: ${path.join(reportDir, 'copy.html')} (2 runs)`), r.stdout);
      assert.match(r.stdout, /top 2 finished runs of copy by validation accuracy/);
      assert.match(fs.readFileSync(path.join(reportDir, 'copy.html'), 'utf8'), /digit-lab report · copy/);
    });
  });
});
