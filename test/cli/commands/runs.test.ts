import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { digits, filledDb, type Filled } from './helpers';

describe('cli/commands', () => {
  let db: Filled;
  before(() => (db = filledDb()));

  describe('runs', () => {
    it('prints an aligned table, newest first', () => {
      const r = digits(['runs', '--db', db.file]);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n');
      assert.match(lines[0], /^id\s+experiment\s+name\s+status\s+val_acc\s+test_acc\s+epochs\s+time\s+created$/);
      assert.equal(lines.length, 1 + 8);
      assert.ok(lines[1].startsWith(db.ids.queued), 'newest first');
      const statusAt = lines[0].indexOf('status');
      assert.ok(lines.slice(1).every((l) => /^(queued|finished)/.test(l.slice(statusAt))), 'columns line up');
    });

    it('colours the status column with FORCE_COLOR, not with NO_COLOR as well, not when piped', () => {
      const forced = digits(['runs', '--db', db.file], { FORCE_COLOR: '1' });
      assert.match(forced.stdout, /\x1b\[32mfinished\x1b\[39m/);
      assert.match(forced.stdout, /^\x1b\[1mid {2}/, 'a bold header');
      const lines = forced.stdout.replace(/\x1b\[\d+m/g, '');
      assert.equal(lines, digits(['runs', '--db', db.file]).stdout, 'the same table without the escape codes');
      assert.doesNotMatch(digits(['runs', '--db', db.file], { FORCE_COLOR: '1', NO_COLOR: '1' }).stdout, /\x1b\[/);
      assert.doesNotMatch(digits(['runs', '--db', db.file]).stdout, /\x1b\[/, 'stdout is a pipe here');
    });

    it('filters with --experiment, --where and sorts with --sort, --limit', () => {
      const r = digits(['runs', '--db', db.file, '-e', 'cnn-grid', '--where', 'train.optimizer.learningRate=0.003 and status=finished', '--sort', '-test_accuracy', '--limit', '2', '--json']);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).runs.map((x: { id: string }) => x.id), [db.ids['lr=0.003 seed=3'], db.ids['lr=0.003 seed=2']]);
    });

    it('takes the database from DIGITS_DB', () => {
      const r = digits(['runs', '--json', '--all'], { DIGITS_DB: db.file });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(JSON.parse(r.stdout).runs.length, 8);
    });

    it('groups runs that differ only in seed with mean ± std', () => {
      const r = digits(['runs', '--db', db.file, '--group-seeds', '--status', 'finished']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /cnn-grid\s+lr=0\.003\s+3\s+1,2,3\s+0\.9850 ± 0\.0010\s+0\.9840 ± 0\.0010/);
      assert.match(r.stdout, /cnn-grid\s+lr=0\.001\s+3\s+1,2,3\s+0\.9830 ± 0\.0010/);
      assert.match(r.stdout, /rnn-lstm\s+rnn-lstm\s+1\s+1\s+0\.9700 ± 0\.0000/);
    });

    it('exits 2 listing the valid names for an unknown --where name', () => {
      const r = digits(['runs', '--db', db.file, '--where', 'val_acc>0.9']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^digits: unknown name "val_acc" \(did you mean val_accuracy\?\); --where and --sort accept: .*test_accuracy.*model\.kind/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });

    it('says so when nothing matches', () => {
      const r = digits(['runs', '--db', db.file, '--where', 'val_accuracy>0.999']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, 'no runs match\n');
    });

    for (const bad of ['1.5', '1e20', '0', '-1', 'abc', '']) {
      it(`exits 2 in one line for --limit ${JSON.stringify(bad)}, quoting it`, () => {
        const r = digits(['runs', '--db', db.file, '--limit', bad]);
        assert.equal(r.code, 2, r.stdout);
        const expected = bad === ''
          ? 'digits: --limit is empty; give it a value, or leave it out for its default (see digits <command> --help)\n'
          : `digits: --limit must be a whole number from 1 to 100,000, got ${JSON.stringify(bad)}; e.g. --limit 20 (or --all for every run)\n`;
        assert.equal(r.stderr, expected);
      });
    }

    it('exits 2 in one line for --sort ",,," and for a very long --where', () => {
      const sort = digits(['runs', '--db', db.file, '--sort', ',,,']);
      assert.equal(sort.code, 2);
      assert.match(sort.stderr, /^digits: --sort: ",,," has an empty key; write names joined by commas/);
      const where = digits(['runs', '--db', db.file, '--where', `seed=${'9'.repeat(100_000)}`]);
      assert.equal(where.code, 2);
      assert.match(where.stderr, /^digits: --where is 100005 characters long, more than 2000; write a shorter expression \("seed=9{75}\.\.\."\)\n$/);
    });

    it('exits 2 for a --db that does not exist, without creating it', () => {
      const missing = path.join(db.dir, 'nope.sqlite');
      const r = digits(['runs', '--db', missing]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no tracking database at .*nope\.sqlite/);
      assert.equal(fs.existsSync(missing), false);
    });
  });

  describe('best', () => {
    it('finds the best finished run by val_accuracy, within an experiment', () => {
      const r = digits(['best', '--db', db.file, '--experiment', 'cnn-grid']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`best by val_accuracy in cnn-grid: ${db.ids['lr=0.003 seed=3']}`));
    });
    it('minimises losses and times', () => {
      const r = digits(['best', '--db', db.file, '--metric', 'train_seconds', '--json']);
      assert.equal(JSON.parse(r.stdout).id, db.ids['lr=0.001 seed=1']);
    });
    it('exits 2 when nothing is finished', () => {
      const r = digits(['best', '--db', db.file, '--experiment', 'nothing-here']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /no finished runs in nothing-here/);
    });
  });
});
