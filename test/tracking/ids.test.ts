import { strict as assert } from 'node:assert';
import { newRunId } from '../../src/tracking/ids';

describe('tracking/ids', () => {
  describe('newRunId', () => {
    it('gives 12 base-36 characters, and ids made in the same millisecond still differ in their time part', () => {
      const now = Date.now();
      const ids = Array.from({ length: 20_000 }, () => newRunId(now));
      assert.ok(ids.every((id) => /^[0-9a-z]{12}$/.test(id)));
      assert.equal(new Set(ids.map((id) => id.slice(4))).size, ids.length, 'one time part per id');
      assert.equal(new Set(ids).size, ids.length);
    });
  });
});
