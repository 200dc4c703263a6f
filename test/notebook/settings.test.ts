import assert from 'node:assert/strict';
import path from 'node:path';
import { notebookSettings } from '../../src/notebook/settings';

const ROOT = path.resolve(__dirname, '..', '..');

describe('notebook', () => {
  describe('notebookSettings', () => {
    it('defaults to the CLI locations and a 3000-image run', () => {
      const s = notebookSettings({ XDG_CACHE_HOME: '/xdg' });
      assert.equal(s.quick, false);
      assert.equal(s.dataDir, '/xdg/digit-lab/mnist');
      assert.equal(s.dbFile, path.join(ROOT, 'runs', 'digits.sqlite'));
      assert.equal(s.runsDir, path.join(ROOT, 'runs'));
      assert.deepEqual([s.trainLimit, s.testLimit, s.epochs], [3000, null, 2]);
    });

    it('reads DIGITS_DATA_DIR, DIGITS_DB, quick mode and DIGITS_TRAIN_LIMIT', () => {
      const s = notebookSettings({ DIGITS_DATA_DIR: '/data/mnist', DIGITS_DB: '/tmp/x/db.sqlite', DIGITS_RUNS_DIR: '/tmp/x/runs', DIGITS_NOTEBOOK_QUICK: '1' });
      assert.deepEqual([s.quick, s.dataDir, s.dbFile, s.runsDir], [true, '/data/mnist', '/tmp/x/db.sqlite', '/tmp/x/runs']);
      assert.deepEqual([s.trainLimit, s.testLimit], [600, 1000]);
      assert.equal(notebookSettings({ DIGITS_NOTEBOOK_QUICK: '1', DIGITS_TRAIN_LIMIT: '250' }).trainLimit, 250);
    });

    it('keeps run folders in the runs folder, not beside a DIGITS_DB elsewhere', () => {
      assert.equal(notebookSettings({ DIGITS_DB: '/tmp/x/db.sqlite' }).runsDir, path.join(ROOT, 'runs'));
    });

    for (const bad of ['ten', '2.5', '10', '70000']) {
      it(`rejects DIGITS_TRAIN_LIMIT=${bad} naming the variable and the range`, () => {
        assert.throws(() => notebookSettings({ DIGITS_TRAIN_LIMIT: bad }), (err: Error) => {
          assert.equal(err.name, 'UserError');
          assert.match(err.message, new RegExp(`DIGITS_TRAIN_LIMIT must be a whole number from 20 to 60000, got "${bad}"`));
          return true;
        });
      });
    }
  });
});
