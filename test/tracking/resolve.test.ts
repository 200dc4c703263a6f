import { strict as assert } from 'node:assert';
import { idsSource, resolveRunIdIn, RunLookupError } from '../../src/tracking';
import { finishedRun, spec, tempStore } from './fixtures';

function problem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RunLookupError, String(err));
    return `${err.problem}: ${err.message}`;
  }
  return 'no error';
}

describe('tracking/resolve', () => {
  describe('resolveRunIdIn', () => {
    const source = idsSource(['mi9x2k1qa7f3', 'mi9x2k1qb000', 'mi9x2k1q', 'zz0000000001'], 'the test runs');

    it('takes an exact id, even when it is also a prefix of others', () => {
      assert.equal(resolveRunIdIn(source, 'mi9x2k1q'), 'mi9x2k1q');
      assert.equal(resolveRunIdIn(source, ' mi9x2k1qa7f3 '), 'mi9x2k1qa7f3');
    });
    it('takes a unique prefix', () => {
      assert.equal(resolveRunIdIn(source, 'zz'), 'zz0000000001');
      assert.equal(resolveRunIdIn(source, 'mi9x2k1qa'), 'mi9x2k1qa7f3');
    });
    it('lists the candidates of an ambiguous prefix', () => {
      assert.match(problem(() => resolveRunIdIn(source, 'mi9')), /^ambiguous: run id prefix "mi9" is ambiguous; it matches 3 runs:\n {2}mi9x2k1q\n {2}mi9x2k1qa7f3\n {2}mi9x2k1qb000\nType more characters/);
    });
    it('suggests the closest id for an unknown one', () => {
      assert.match(problem(() => resolveRunIdIn(source, 'mi9x2k1qa7f4')), /^unknown: no run with id "mi9x2k1qa7f4" in the test runs \(did you mean mi9x2k1qa7f3\?\)/);
    });
    it('refuses an empty, a path-like or a very long id as not an id, quoting at most 80 characters', () => {
      assert.match(problem(() => resolveRunIdIn(source, '  ')), /^bad-id: the run id is empty/);
      assert.match(problem(() => resolveRunIdIn(source, '../etc')), /^bad-id: run id "\.\.\/etc" is not valid/);
      const long = problem(() => resolveRunIdIn(source, 'a'.repeat(100_000)));
      assert.match(long, /^bad-id: run id "a{80}\.\.\." is not valid/);
      assert.ok(long.length < 300, 'one short line');
    });
  });

  describe('SqliteStore.resolveRunId', () => {
    it('treats LIKE wildcards in a prefix literally', () => {
      const { store } = tempStore();
      const id = finishedRun(store, 'e', 'a', spec(), 0.9, 0.9);
      assert.equal(store.resolveRunId(id.slice(0, 6)), id);
      assert.match(problem(() => store.resolveRunId(`${id[0]}_`)), /^unknown: /, 'an underscore is not a wildcard');
      assert.match(problem(() => store.resolveRunId('%')), /^bad-id: /);
      store.close();
    });
  });
});
