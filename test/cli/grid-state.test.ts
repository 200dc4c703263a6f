import { strict as assert } from 'node:assert';
import type { Trial } from '../../src/config/types';
import { GridState } from '../../src/cli/grid-state';
import type { RunnerEvent, TrialResult } from '../../src/runner/events';
import { epochs, spec } from '../tracking/fixtures';

/** A grid state on a clock the test moves. */
function clocked() {
  let now = 0;
  const state = new GridState(() => now);
  return { state, at: (seconds: number) => (now = seconds * 1000), send: (...events: RunnerEvent[]) => events.forEach((e) => state.apply(e)) };
}

const trial = (name: string, s = spec()): Trial => ({ experiment: 'g', name, spec: s, hash: `h-${name}`, overrides: {} });
const plan = (toRun: number, workers: number): RunnerEvent => ({ type: 'plan', experiment: 'g', total: toRun, alreadyFinished: 0, runningElsewhere: [], toRun, resumed: 0, workers, staleMarked: [] });
const ready = (worker: number): RunnerEvent => ({ type: 'worker-ready', worker, pid: 100 + worker, backend: 'cpu', startupSeconds: 1 });
const start = (worker: number, name: string, s = spec()): RunnerEvent => ({ type: 'trial-start', worker, pid: 100 + worker, trial: trial(name, s), runId: `run-${name}`, resumed: false });
const batch = (worker: number, name: string, epoch: number, batchNo: number, member: number | null = null): RunnerEvent =>
  ({ type: 'batch', worker, runId: `run-${name}`, member, epoch, epochs: 2, batch: batchNo, batches: 10, imagesPerSec: 500 });
const end = (worker: number, name: string, status: TrialResult['status'] = 'finished'): RunnerEvent => ({
  type: 'trial-end', left: 0,
  result: { trial: trial(name), runId: `run-${name}`, status, error: null, valAccuracy: 0.9, testAccuracy: 0.9, trainSeconds: 1, wallSeconds: 1, worker },
});

describe('cli/grid-state', () => {
  describe('GridState.etaSeconds', () => {
    it('counts workers running in parallel: 4 trials on 2 workers, one ended at 10 s, leave about one trial more', () => {
      const { state, at, send } = clocked();
      send(plan(4, 2), ready(1), ready(2), start(1, 'a'), start(2, 'b'));
      at(10);
      send(batch(1, 'a', 2, 10), batch(2, 'b', 2, 8), end(1, 'a'));
      // a trial takes ~10.5 worker-seconds; b ends in ~1 s, then c and d run side by side.
      const eta = state.etaSeconds()!;
      assert.ok(eta > 10 && eta < 13, `eta ${eta}`);
      assert.equal(state.left, 3);
    });

    it('leaves a worker idle at the tail: the last of 3 trials on 2 workers takes a whole trial', () => {
      const { state, at, send } = clocked();
      send(plan(3, 2), ready(1), ready(2), start(1, 'a'), start(2, 'b'));
      at(10);
      send(batch(1, 'a', 2, 10), batch(2, 'b', 2, 10), end(1, 'a'), end(2, 'b'), start(1, 'c'));
      assert.equal(Math.round(state.etaSeconds()!), 10);
    });

    it('is unknown before any batch and 0 when nothing is left', () => {
      const { state, at, send } = clocked();
      send(plan(1, 1), ready(1), start(1, 'a'));
      at(5);
      assert.equal(state.etaSeconds(), null);
      send(batch(1, 'a', 1, 5));
      assert.equal(Math.round(state.etaSeconds()!), 15); // a quarter done in 5 s
      send(end(1, 'a'));
      assert.equal(state.etaSeconds(), 0);
    });

    it('does not count the time of a failed trial as work done', () => {
      const { state, at, send } = clocked();
      send(plan(2, 1), ready(1), start(1, 'a'));
      at(30);
      send(end(1, 'a', 'failed'), start(1, 'b'));
      at(32);
      send(batch(1, 'b', 1, 5)); // a quarter of b in 2 s
      assert.equal(Math.round(state.etaSeconds()!), 6);
      assert.deepEqual([state.done, state.failed, state.left], [0, 1, 1]);
    });
  });

  describe('GridState.apply', () => {
    it('keeps the last validation accuracy and images/s of a worker across its batches', () => {
      const { state, send } = clocked();
      send(plan(1, 1), ready(1), start(1, 'a'), batch(1, 'a', 1, 10));
      send({ type: 'epoch', worker: 1, runId: 'run-a', member: null, metrics: epochs(1)[0] });
      send(batch(1, 'a', 2, 3));
      const w = state.workers.get(1)!;
      assert.equal(w.valAccuracy, epochs(1)[0].valAccuracy);
      assert.deepEqual([w.epoch, w.batch, w.imagesPerSec, w.fraction], [2, 3, 500, 0.65]);
    });

    it('measures an ensemble over the members it trains itself', () => {
      const { state, send } = clocked();
      const ensemble = spec((s) => {
        s.model = { kind: 'ensemble', combine: 'average', members: [{ run: 'old' }, { spec: spec().model as never }, { spec: spec().model as never }] };
      });
      send(plan(1, 1), ready(1), start(1, 'e', ensemble), batch(1, 'e', 2, 10, 2));
      assert.equal(state.workers.get(1)!.fraction, 1); // the second inline member, at its end
      send(batch(1, 'e', 1, 10, 1));
      assert.equal(state.workers.get(1)!.fraction, 0.25);
    });

    it('frees the worker when its trial ends and forgets it when it exits', () => {
      const { state, send } = clocked();
      send(plan(1, 1), ready(1), start(1, 'a'), end(1, 'a'));
      assert.equal(state.workers.get(1)!.trial, null);
      send({ type: 'worker-exit', worker: 1, pid: 101, code: 0, signal: null, expected: true, lostTrial: null, requeued: false, stderrTail: '' });
      assert.equal(state.workers.size, 0);
    });
  });
});
