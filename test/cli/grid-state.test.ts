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
/** A batch event that puts the trial at `fraction` of its 2 epochs of 100 batches. */
const share = (worker: number, name: string, fraction: number): RunnerEvent => {
  const epoch = fraction <= 0.5 ? 1 : 2;
  return { type: 'batch', worker, runId: `run-${name}`, member: null, epoch, epochs: 2, batch: Math.round((fraction * 2 - (epoch - 1)) * 100), batches: 100, imagesPerSec: 500 };
};
const end = (worker: number, name: string, status: TrialResult['status'] = 'finished'): RunnerEvent => ({
  type: 'trial-end', left: 0,
  result: { trial: trial(name), runId: `run-${name}`, status, error: null, valAccuracy: 0.9, testAccuracy: 0.9, trainSeconds: 1, wallSeconds: 1, worker },
});

describe('cli/grid-state', () => {
  describe('GridState.etaSeconds', () => {
    /** Batch events every second from `from` to `to` seconds, the trial's share done going from f0 to f1. */
    const progress = (c: ReturnType<typeof clocked>, worker: number, name: string, from: number, to: number, f0: number, f1: number) => {
      for (let t = from; t <= to; t++) {
        c.at(t);
        c.send(share(worker, name, f0 + ((f1 - f0) * (t - from)) / (to - from)));
      }
    };

    it('counts workers running in parallel: 4 trials on 2 workers, one ended, leave about one trial more', () => {
      const c = clocked();
      c.send(plan(4, 2), ready(1), ready(2), start(1, 'a'), start(2, 'b'));
      progress(c, 1, 'a', 1, 11, 0.01, 1); // start-up 1 s, batches 10 s
      progress(c, 2, 'b', 1, 11, 0.01, 0.9);
      c.at(12);
      c.send(end(1, 'a')); // end 1 s: a trial takes about 12 s
      const eta = c.state.etaSeconds()!;
      // b: ~1 s of batches and 1 s of end; then c and d side by side, ~12 s each.
      assert.ok(eta > 12 && eta < 16, `eta ${eta}`);
      assert.equal(c.state.left, 3);
    });

    it('goes by the recent speed: a slow first epoch (a fresh worker warming up) does not slow the rest', () => {
      const c = clocked();
      c.send(plan(2, 1), ready(1), start(1, 'a'));
      progress(c, 1, 'a', 1, 21, 0.01, 0.5); // 20 s for the first half
      progress(c, 1, 'a', 21, 31, 0.5, 1); // 10 s for the second
      c.at(32);
      c.send(end(1, 'a'), start(1, 'b'));
      // b: 1 s start-up + 20 s at the recent speed + 1 s end = 22 s; the average pace would say 32 s.
      // The speed is smoothed over windows, so a quarter of the slow one is still in it.
      const eta = c.state.etaSeconds()!;
      assert.ok(eta >= 22 && eta < 26, `eta ${eta}`);
    });

    it('leaves a worker idle at the tail: the last of 3 trials on 2 workers takes a whole trial', () => {
      const c = clocked();
      c.send(plan(3, 2), ready(1), ready(2), start(1, 'a'), start(2, 'b'));
      progress(c, 1, 'a', 0, 10, 0, 1);
      progress(c, 2, 'b', 0, 10, 0, 1);
      c.send(end(1, 'a'), end(2, 'b'), start(1, 'c'));
      assert.equal(Math.round(c.state.etaSeconds()!), 10);
    });

    it('is unknown before any batch and 0 when nothing is left', () => {
      const c = clocked();
      c.send(plan(1, 1), ready(1), start(1, 'a'));
      c.at(5);
      assert.equal(c.state.etaSeconds(), null);
      c.send(share(1, 'a', 0));
      c.at(7);
      c.send(share(1, 'a', 0.25)); // a quarter in 2 s, after 5 s of start-up
      assert.equal(Math.round(c.state.etaSeconds()!), 6);
      c.send(end(1, 'a'));
      assert.equal(c.state.etaSeconds(), 0);
    });

    it('does not count the start-up or end of a failed trial as a trial\'s', () => {
      const c = clocked();
      c.send(plan(2, 1), ready(1), start(1, 'a'));
      c.at(30);
      c.send(end(1, 'a', 'failed'), start(1, 'b'));
      progress(c, 1, 'b', 30, 36, 0, 0.3); // 5 % a second, from its first batch on
      assert.equal(Math.round(c.state.etaSeconds()!), 14);
      assert.deepEqual([c.state.done, c.state.failed, c.state.left], [0, 1, 1]);
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

    it('counts trials another process trains only once this grid takes one over, or it fails there', () => {
      const c = clocked();
      c.send({ type: 'plan', experiment: 'g', total: 4, alreadyFinished: 1, runningElsewhere: ['x'], toRun: 2, resumed: 0, workers: 1, staleMarked: [] }, ready(1));
      c.send({ type: 'trial-elsewhere', trial: trial('y'), reason: 'running in another process' });
      assert.deepEqual([c.state.toRun, c.state.left], [1, 1], 'y was handed out, then found running elsewhere');
      c.send({ type: 'trial-skipped', trial: trial('y'), reason: 'finished by another process', left: 1 });
      assert.equal(c.state.toRun, 1, 'counted once');
      c.send(start(1, 'x'), end(1, 'x'));
      assert.deepEqual([c.state.toRun, c.state.done, c.state.left], [2, 1, 1], 'x was taken over from a process that died');
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
