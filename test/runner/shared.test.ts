/** Two `digits run` creating a run for the same trial at the same moment: exactly one keeps it. */
import assert from 'node:assert/strict';
import { createdTwice } from '../../src/runner/shared';
import { evaluation, spec, storeFixture, summary } from '../tracking/fixtures';

describe('runner/shared', () => {
  const fx = storeFixture();

  const create = () => fx.store.createRun({ experiment: 'g', name: 't', trialHash: 'h1', spec: spec(), seed: 1 });

  describe('createdTwice', () => {
    it('keeps the run created first even when the later one has the smaller id (ids begin with random characters)', () => {
      const first = create();
      let later = create();
      for (let tries = 0; later.id > first.id; tries += 1) {
        assert.ok(tries < 200, 'no later run with a smaller id in 200 tries');
        fx.store.deleteRun(later.id);
        later = create();
      }
      assert.equal(fx.store.claimRun(first.id, { pid: process.pid, host: 'h' }), 1);
      assert.equal(fx.store.claimRun(later.id, { pid: process.pid, host: 'h' }), 1);
      // The first process checked before the second run existed, or checks now: either way it keeps its run.
      assert.equal(createdTwice(fx.store, 'h1', first.id), null);
      assert.equal(createdTwice(fx.store, 'h1', later.id), 'running');
      assert.deepEqual(fx.store.findByHash('h1').map((r) => r.id), [first.id]);
    });

    it('gives way to a finished run whenever it was created, and not to an interrupted one', () => {
      const mine = create();
      const other = create();
      fx.store.claimRun(other.id, { pid: process.pid, host: 'h' });
      fx.store.endRun(other.id, 'interrupted');
      assert.equal(createdTwice(fx.store, 'h1', mine.id), null, 'an interrupted run is no rival');
      fx.store.claimRun(other.id, { pid: process.pid, host: 'h' });
      fx.store.finishRun(other.id, { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.9) });
      assert.equal(createdTwice(fx.store, 'h1', mine.id), 'finished');
      assert.deepEqual(fx.store.findByHash('h1').map((r) => r.id), [other.id]);
    });
  });
});
