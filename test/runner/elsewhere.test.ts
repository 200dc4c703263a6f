/** ElsewhereWatch with runs that a cluster task trains: their journals speak for them. */
import assert from 'node:assert/strict';
import path from 'node:path';
import { ElsewhereWatch } from '../../src/runner/elsewhere';
import { JournalStore } from '../../src/tracking';
import { evaluation, provenance, spec, storeFixture, summary } from '../tracking/fixtures';

describe('runner/elsewhere', () => {
  const fx = storeFixture();

  describe('ElsewhereWatch.check', () => {
    it('reads the journals of watched runs first: a task that finished on a cluster is finished here, not taken over', () => {
      const runsDir = path.join(fx.dir, 'runs');
      const s = spec();
      const run = fx.store.createRun({ experiment: 'g', name: 't', trialHash: 'h1', spec: s, seed: 1 });
      const task = new JournalStore(runsDir, run.id, { attempt: 1, restart: 0, host: 'node7', pid: 99999, slurmJob: '5_0' });
      task.startRun(run.id, provenance(99999, 'node7'), path.join(runsDir, run.id));
      const watch = new ElsewhereWatch();
      watch.add({ trial: { experiment: 'g', name: 't', spec: s, hash: 'h1', overrides: {} }, runId: null, deaths: 0 });
      assert.deepEqual(watch.check(fx.store, 120, runsDir), []); // running on node7, heartbeat fresh from the journal
      task.finishRun(run.id, { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.9) });
      assert.deepEqual(watch.check(fx.store, 120, runsDir).map((o) => o.kind), ['finished']);
      assert.equal(fx.store.getRun(run.id)?.status, 'finished');
    });
  });
});
