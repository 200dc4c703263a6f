import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import { openStore } from '../../../src/tracking/open';
import { digits, filledDb, type Filled } from './helpers';

describe('cli/commands', () => {
  let db: Filled;
  before(() => (db = filledDb()));
  const run = (id: string) => {
    const store = openStore(db.file);
    try {
      return store.getRun(id);
    } finally {
      store.close();
    }
  };

  describe('tag', () => {
    it('sets several tags, overwriting an existing key', () => {
      const id = db.ids.rnn;
      assert.equal(digits(['tag', id, 'keep=yes', 'paper=fig 2', '--db', db.file]).code, 0);
      const r = digits(['tag', id, 'keep=no', '--db', db.file]);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(run(id)?.tags, { keep: 'no', paper: 'fig 2' });
      assert.equal(digits(['runs', '--where', 'tag.paper="fig 2"', '--json', '--db', db.file]).stdout.includes(id), true);
    });
    it('exits 2 for a pair without =', () => {
      const r = digits(['tag', db.ids.rnn, 'keep', '--db', db.file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /tag "keep": expected key=value/);
    });
  });

  describe('note', () => {
    it('sets the note shown by `digits show`', () => {
      const id = db.ids['lr=0.001 seed=1'];
      assert.equal(digits(['note', id, 'baseline; lr too low?', '--db', db.file]).code, 0);
      assert.match(digits(['show', id, '--db', db.file]).stdout, /note\s+baseline; lr too low\?/);
    });
  });

  describe('rm', () => {
    it('refuses without --yes when it cannot ask, deleting nothing', () => {
      const r = digits(['rm', db.ids.rnn, '--db', db.file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /rm would delete:\n {2}\w{12} {2}rnn-lstm: rnn-lstm \(finished\)\nPass --yes/);
      assert.ok(run(db.ids.rnn));
    });
    it('deletes the run and its artifact folder with --yes', () => {
      const dir = run(db.ids.rnn)!.artifactDir!;
      assert.ok(fs.existsSync(dir));
      const r = digits(['rm', db.ids.rnn, '--yes', '--db', db.file]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(run(db.ids.rnn), null);
      assert.equal(fs.existsSync(dir), false);
    });
    it('leaves a folder not named after the run alone', () => {
      const id = db.ids['lr=0.001 seed=2']; // its artifactDir is /tmp/none/<id>, which does not exist
      assert.equal(digits(['rm', id, '-y', '--db', db.file]).code, 0);
      assert.equal(run(id), null);
    });
    it('refuses to delete a running run', () => {
      const store = openStore(db.file);
      store.claimRun(db.ids.queued, { pid: process.pid, host: 'here' });
      store.close();
      const r = digits(['rm', db.ids.queued, '--yes', '--db', db.file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /cannot delete running run/);
    });
  });
});
