import { strict as assert } from 'node:assert';
import { defaultRunSpec } from '../../src/config/defaults';
import type { EnsembleMember, Trial } from '../../src/config/types';
import { TrialQueue, type NextTrial } from '../../src/runner/queue';
import { defaultWorkers } from '../../src/runner/run-grid';

function trial(name: string, members?: EnsembleMember[]): Trial {
  const spec = defaultRunSpec();
  if (members) spec.model = { kind: 'ensemble', combine: 'average', members };
  return { experiment: 'x', name, spec, hash: `h-${name}`, overrides: {} };
}
const queued = (...trials: Trial[]) => trials.map((t) => ({ trial: t, runId: null, deaths: 0 }));
const name = (n: NextTrial | null) => (n ? `${n.kind}:${n.item.trial.name}` : null);

describe('runner', () => {
  describe('defaultWorkers', () => {
    it('divides the cores by the most replicas a trial trains with, never below one worker', () => {
      const withReplicas = (n: number) => {
        const t = trial(`r${n}`);
        t.spec.train.replicas = n;
        return t;
      };
      assert.equal(defaultWorkers([trial('a'), trial('b')], 4), 4);
      assert.equal(defaultWorkers([trial('a'), withReplicas(2)], 4), 2);
      assert.equal(defaultWorkers([withReplicas(3)], 8), 2);
      assert.equal(defaultWorkers([withReplicas(4)], 2), 1);
      assert.equal(defaultWorkers([], 2), 2);
    });
  });

  describe('TrialQueue', () => {
    it('hands out trials in order and holds an ensemble back until its member trials finished', () => {
      const q = new TrialQueue(queued(trial('a'), trial('ens', [{ trial: 'a', hash: 'h-a' }, { trial: 'b', hash: 'h-b' }]), trial('b')));
      assert.equal(name(q.next()), 'run:a');
      assert.equal(name(q.next()), 'run:b');
      assert.equal(q.next(), null, 'the ensemble waits for a and b');
      q.finished('h-a');
      assert.equal(q.next(), null);
      q.finished('h-b');
      assert.equal(name(q.next()), 'run:ens');
      assert.equal(q.left, 1);
      q.finished('h-ens');
      assert.equal(q.left, 0);
    });

    it('fails an ensemble whose member trial failed, naming the member', () => {
      const q = new TrialQueue(queued(trial('a'), trial('ens', [{ trial: 'a', hash: 'h-a' }])));
      q.next();
      q.failed('h-a', 'out of memory\nstack...');
      const next = q.next();
      assert.equal(next?.kind, 'fail');
      assert.match(next?.kind === 'fail' ? next.error : '', /^member trial "a" failed, so this ensemble cannot be combined \(out of memory\)/);
      assert.equal(q.left, 0);
    });

    it('starts an ensemble at once when its members finished before this grid, or belong to no trial here', () => {
      const q = new TrialQueue(queued(trial('ens', [{ trial: 'a', hash: 'h-a' }, { run: 'r1' }])), new Set(['h-a']));
      assert.equal(name(q.next()), 'run:ens');
    });

    it('puts a re-queued trial first', () => {
      const q = new TrialQueue(queued(trial('a'), trial('b')));
      const a = q.next();
      assert.ok(a && a.kind === 'run');
      q.requeue(a.item);
      assert.equal(name(q.next()), 'run:a');
      assert.equal(q.left, 2);
    });
  });
});
