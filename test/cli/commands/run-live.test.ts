import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../../src/tracking/open';
import { startDigits, tinyGrid } from '../../runner/helpers';

describe('cli/commands/run', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-run-live-'))));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('digits run (live report)', () => {
    it('keeps a live report while the grid runs, then leaves a static one; per-step metrics are stored', async () => {
      const db = path.join(dir, 'live.sqlite');
      const reports = path.join(dir, 'reports');
      const file = path.join(reports, 'live-grid.html');
      const p = startDigits(['run', tinyGrid(dir, 'live-grid', [1, 2, 3], 1000), '--workers', '1', '--db', db, '--report-dir', reports]);
      let sawLive = false;
      const watch = (async () => {
        while (p.child.exitCode === null && !sawLive) {
          if (fs.existsSync(file) && fs.readFileSync(file, 'utf8').includes('id="live-banner"')) sawLive = true;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
      })();
      const done = await p.done;
      await watch;
      assert.equal(done.code, 0, done.stderr);
      assert.ok(sawLive, 'the report was live while the grid ran');
      const html = fs.readFileSync(file, 'utf8');
      assert.doesNotMatch(html, /id="live-banner"/, 'the final report is static');
      assert.equal(JSON.parse(html.match(/id="report-charts">([^<]*)</)![1]).live, null);
      assert.deepEqual(fs.readdirSync(reports), ['live-grid.html'], 'no temporary file left');
      assert.match(done.stdout, /report: .*live-grid\.html \(3 runs\)/);
      const store = openStore(db, { mustExist: true });
      try {
        for (const run of store.listRuns()) {
          // 900 training images (1000 less a tenth for validation) in batches of 50: 18 steps, each logged
          assert.deepEqual(store.steps(run.id).map((s) => s.step), Array.from({ length: 18 }, (_, i) => i + 1), run.name);
        }
      } finally {
        store.close();
      }
    });
  });
});
