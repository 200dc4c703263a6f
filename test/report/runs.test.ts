import { strict as assert } from 'node:assert';
import {
  bestRun,
  configKey,
  downsample,
  formatParam,
  configGroups,
  shortParamNames,
  variedParams,
} from '../../src/report/runs';
import type { Run } from '../../src/tracking/types';
import { fakeGrid } from './fixtures';

/** A finished run from the fixture grid with the given params and accuracies. */
function run(id: string, params: Run['params'], val: number | null, test: number | null = null): Run {
  const base = fakeGrid({ count: 1, failed: 0 }).runs[0];
  return {
    ...base,
    id,
    name: id,
    params,
    summary: val === null ? null : { ...base.summary!, bestValAccuracy: val },
    validation: val === null ? null : { ...base.validation!, accuracy: val },
    test: test === null ? null : { ...base.test!, accuracy: test },
  };
}

describe('report/runs', () => {
  describe('bestRun', () => {
    it('chooses by validation accuracy, never by test accuracy', () => {
      const a = run('a', {}, 0.99, 0.95);
      const b = run('b', {}, 0.98, 0.999);
      assert.equal(bestRun([b, a])?.id, 'a');
    });

    it('breaks a tie with the lower validation loss', () => {
      const a = run('a', {}, 0.99);
      const b = run('b', {}, 0.99);
      b.validation = { ...b.validation!, loss: a.validation!.loss! / 2 };
      assert.equal(bestRun([a, b])?.id, 'b');
    });

    it('returns null when no run has a validation score', () => {
      assert.equal(bestRun([run('a', {}, null)]), null);
      assert.equal(bestRun([]), null);
    });
  });

  describe('variedParams', () => {
    it('lists params that differ, in first-seen order, without seeds', () => {
      const runs = [
        run('a', { lr: 0.1, units: 8, seed: 1, 'data.seed': 3, kind: 'cnn' }, 0.9),
        run('b', { lr: 0.01, units: 8, seed: 2, 'data.seed': 4, kind: 'cnn' }, 0.9),
        run('c', { lr: 0.01, units: 8, seed: 1, 'data.seed': 3, kind: 'rnn' }, 0.9),
      ];
      assert.deepEqual(variedParams(runs), ['lr', 'kind']);
    });

    it('counts a param missing from some runs as varied', () => {
      assert.deepEqual(variedParams([run('a', { 'model.units': 8 }, 0.9), run('b', {}, 0.9)]), ['model.units']);
    });
  });

  describe('shortParamNames', () => {
    it('uses the fewest trailing segments that stay unique', () => {
      const names = shortParamNames(['train.optimizer.learningRate', 'model.blocks.0.filters', 'model.blocks.1.filters']);
      assert.deepEqual([...names.values()], ['learningRate', '0.filters', '1.filters']);
    });

    it('keeps the parent of a generic last segment', () => {
      assert.equal(shortParamNames(['train.optimizer.name']).get('train.optimizer.name'), 'optimizer.name');
    });
  });

  describe('configGroups', () => {
    it('puts runs that differ only in seed into one config', () => {
      const runs = [
        run('a', { lr: 0.1, seed: 1 }, 0.9),
        run('b', { lr: 0.1, seed: 2 }, 0.91),
        run('c', { lr: 0.01, seed: 1 }, 0.92),
      ];
      const groups = configGroups(runs);
      assert.deepEqual(groups.map((g) => [g.label, g.runs.map((r) => r.id)]), [
        ['lr=0.1', ['a', 'b']],
        ['lr=0.01', ['c']],
      ]);
      assert.equal(configKey(runs[0]), configKey(runs[1]));
    });

    it('keeps equal params of different experiments apart', () => {
      const a = run('a', { lr: 0.1 }, 0.9);
      const b = { ...run('b', { lr: 0.1 }, 0.9), experiment: 'other' };
      assert.equal(configGroups([a, b]).length, 2);
    });
  });

  describe('downsample', () => {
    it('keeps short lists as they are', () => {
      assert.deepEqual(downsample([1, 2, 3], 5), [1, 2, 3]);
    });

    it('picks evenly spread items and keeps the first and the last', () => {
      const items = Array.from({ length: 1000 }, (_, i) => i);
      const picked = downsample(items, 200);
      assert.equal(picked.length, 200);
      assert.equal(picked[0], 0);
      assert.equal(picked[199], 999);
      assert.ok(picked.every((v, i) => i === 0 || v > picked[i - 1]), 'strictly increasing');
    });
  });

  describe('formatParam', () => {
    it('prints numbers briefly and missing values as a dash', () => {
      assert.equal(formatParam(0.0010000000001), '0.001');
      assert.equal(formatParam(128), '128');
      assert.equal(formatParam(null), '—');
      assert.equal(formatParam(undefined), '—');
      assert.equal(formatParam(true), 'true');
    });
  });
});
