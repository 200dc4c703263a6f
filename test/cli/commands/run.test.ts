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
});
