import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isUserError, UserError } from '../../src/errors';
import { openStore } from '../../src/tracking/open';
import { collectReportData, writeReport } from '../../src/report/write';
import { bestRun } from '../../src/report/runs';
import { fakeGrid, fakePredictions } from './fixtures';
import { seedStore } from './store-fixture';

describe('report/write', () => {
  let dir: string;
  let dbFile: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-report-write-'));
    dbFile = path.join(dir, 'digits.sqlite');
    const grid = fakeGrid({ count: 6, epochs: 4 });
    seedStore(dbFile, path.join(dir, 'runs'), grid);
    seedStore(dbFile, path.join(dir, 'runs'), fakeGrid({ count: 2, epochs: 3, experiment: 'rnn-grid', failed: 0 }));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('writeReport', () => {
    it('writes the runs of the queried experiment with their histories', async () => {
      const store = openStore(dbFile);
      try {
        const out = path.join(dir, 'nested', 'cnn.html');
        const written = await writeReport(store, { experiment: ['cnn-grid'] }, out);
        assert.equal(written.path, out);
        assert.equal(written.runs, 7);
        const html = fs.readFileSync(out, 'utf8');
        assert.equal(Buffer.byteLength(html), written.bytes);
        assert.equal((html.match(/<tr( class="best")? data-run=/g) ?? []).length, 7);
        assert.match(html, /<title>digit-lab report · cnn-grid<\/title>/);
        assert.match(html, /"id":"loss-epochs"/);
        assert.doesNotMatch(html, /rnn-grid/);
      } finally {
        store.close();
      }
    });

    it('rejects a query without runs, naming the experiments that have some', async () => {
      const store = openStore(dbFile);
      try {
        await assert.rejects(writeReport(store, { experiment: ['cnn-gird'] }, path.join(dir, 'x.html')), (err: unknown) => {
          assert.ok(isUserError(err));
          assert.equal(
            (err as Error).message,
            'no runs match experiment "cnn-gird": nothing to report. Experiments with runs: cnn-grid, rnn-grid.',
          );
          return true;
        });
        assert.equal(fs.existsSync(path.join(dir, 'x.html')), false);
      } finally {
        store.close();
      }
    });
  });

  describe('collectReportData', () => {
    it("loads the predictions of the best maxPredictionRuns runs, best first, and keeps the report when they are damaged", async () => {
      const store = openStore(dbFile);
      try {
        const runs = store.listRuns({ experiment: ['cnn-grid'] });
        const asked: string[] = [];
        const labels = Uint8Array.from({ length: 20 }, (_, i) => i % 10);
        const good = await collectReportData(store, runs, async (run) => (asked.push(run.id), fakePredictions(labels)), 3);
        assert.equal(asked.length, 3);
        assert.equal(asked[0], bestRun(runs)!.id);
        assert.deepEqual([...good.predictions!.keys()], asked);
        assert.equal(good.bestPredictions?.labels.length, 20);
        assert.deepEqual(good.steps?.get(runs[0].id), []);
        assert.equal(good.histories.get(runs[0].id)?.length, 4);
        const bad = await collectReportData(store, runs, async () => {
          throw new UserError('runs/x/test-probs.bin: damaged');
        });
        assert.equal(bad.bestPredictions, undefined);
        assert.equal(bad.predictionsProblem, 'runs/x/test-probs.bin: damaged');
      } finally {
        store.close();
      }
    });
  });
});
