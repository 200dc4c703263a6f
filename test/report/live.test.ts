import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../src/tracking/open';
import type { SqliteStore } from '../../src/tracking/store';
import { liveReport } from '../../src/report/live';
import { fakeGrid } from './fixtures';
import { seedStore } from './store-fixture';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('report/live', () => {
  let dir: string;
  let store: SqliteStore;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-report-live-'));
    seedStore(path.join(dir, 'digits.sqlite'), path.join(dir, 'runs'), fakeGrid({ count: 4, epochs: 3 }));
    store = openStore(path.join(dir, 'digits.sqlite'));
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('liveReport', () => {
    it('rewrites at most once per interval however often things change, and marks the page live', async () => {
      const out = path.join(dir, 'reports', 'grid.html');
      const writes: number[] = [];
      const live = liveReport(store, { experiment: ['cnn-grid'] }, out, { everySeconds: 0.6, onWrite: (r) => 'path' in r && writes.push(r.startedAt) });
      const started = Date.now();
      for (let i = 0; i < 20; i++) {
        live.changed();
        await sleep(50); // a second or more of changes every 50 ms
      }
      const lastChange = Date.now();
      await sleep(700);
      await live.finish();
      const most = Math.floor((lastChange - started) / 600) + 2; // one per interval, plus the trailing one
      assert.ok(writes.length >= 2 && writes.length <= most, `${writes.length} writes in ${lastChange - started} ms (20 changes)`);
      assert.ok(writes[0] - started < 100, 'the first change writes straight away');
      for (let i = 1; i < writes.length; i++) assert.ok(writes[i] - writes[i - 1] >= 550, `writes ${writes[i] - writes[i - 1]} ms apart`);
      const html = fs.readFileSync(out, 'utf8');
      assert.match(html, /id="live-banner"/);
      assert.match(html, /this page reloads every 0\.6 s/);
      assert.deepEqual(fs.readdirSync(path.dirname(out)), ['grid.html'], 'no temporary file left behind');
    });

    it('writes nothing after finish and survives a query with no runs yet', async () => {
      const out = path.join(dir, 'none.html');
      const problems: unknown[] = [];
      const empty = liveReport(store, { experiment: ['not-started'] }, out, { everySeconds: 0.05, onWrite: (r) => 'error' in r && problems.push(r.error) });
      empty.changed();
      await sleep(300);
      await empty.finish();
      assert.equal(fs.existsSync(out), false);
      assert.deepEqual(problems, [], 'no runs yet is not a problem');
      const stopped = liveReport(store, { experiment: ['cnn-grid'] }, out, { everySeconds: 0.05 });
      await stopped.finish();
      stopped.changed();
      await sleep(150);
      assert.equal(fs.existsSync(out), false);
      assert.equal(stopped.writes, 0);
    });
  });
});
