/** ElsewhereWatch with runs that a cluster task trains: their journals speak for them. */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { ElsewhereWatch } from '../../src/runner/elsewhere';
import { JournalStore, type SqliteStore } from '../../src/tracking';
import { evaluation, provenance, spec, summary, tempStore } from '../tracking/fixtures';

describe('runner/elsewhere', () => {
  let store: SqliteStore;
  let dir: string;
  beforeEach(() => ({ store, dir } = tempStore()));
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('ElsewhereWatch.check', () => {
    it('reads the journals of watched runs first: a task that finished on a cluster is finished here, not taken over', () => {
      const runsDir = path.join(dir, 'runs');
      const s = spec();
      const run = store.createRun({ experiment: 'g', name: 't', trialHash: 'h1', spec: s, seed: 1 });
      const task = new JournalStore(runsDir, run.id, { attempt: 1, restart: 0, host: 'node7', pid: 99999, slurmJob: '5_0' });
      task.startRun(run.id, provenance(99999, 'node7'), path.join(runsDir, run.id));
      const watch = new ElsewhereWatch();
      watch.add({ trial: { experiment: 'g', name: 't', spec: s, hash: 'h1', overrides: {} }, runId: null, deaths: 0 });
      assert.deepEqual(watch.check(store, 120, runsDir), []); // running on node7, heartbeat fresh from the journal
      task.finishRun(run.id, { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.9) });
      assert.deepEqual(watch.check(store, 120, runsDir).map((o) => o.kind), ['finished']);
      assert.equal(store.getRun(run.id)?.status, 'finished');
    });
  });
});
