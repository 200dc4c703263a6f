import { strict as assert } from 'node:assert';
import { renameRun } from '../../tracking/fixtures';
import { digits, filledDb, type Filled } from './helpers';

describe('cli/commands', () => {
  let db: Filled;
  before(() => (db = filledDb()));

  describe('show', () => {
    it('shows a run by a unique id prefix: results, per-class table, epochs and params', () => {
      const id = db.ids['lr=0.003 seed=2'];
      const r = digits(['show', id.slice(0, 11), '--db', db.file]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, new RegExp(`^id\\s+${id}\\n`));
      assert.match(r.stdout, /test accuracy\s+0\.9840/);
      assert.match(r.stdout, /digit\s+precision\s+recall\s+f1\s+support\n\s+0\s+0\.9840/);
      assert.match(r.stdout, /epoch\s+loss\s+acc\s+val_loss\s+val_acc\s+lr\s+img\/s\s+time\n\s+1\s+1\.0000/);
      assert.match(r.stdout, /train\.optimizer\.learningRate\s+0\.003\n/);
    });

    it('gives the run with its history as JSON', () => {
      const r = digits(['show', db.ids.rnn, '--json', '--db', db.file]);
      const run = JSON.parse(r.stdout);
      assert.equal(run.spec.model.kind, 'rnn');
      assert.deepEqual(run.history, []);
    });

    it('exits 2 with the matching runs for an ambiguous prefix', () => {
      // Ids start with random characters; two made to share a start, as old (time-first) ids did.
      db.ids['lr=0.001 seed=1'] = renameRun(db.file, db.ids['lr=0.001 seed=1'], 'mx0a00000001');
      db.ids['lr=0.001 seed=2'] = renameRun(db.file, db.ids['lr=0.001 seed=2'], 'mx0a00000002');
      const r = digits(['show', 'mx0a', '--db', db.file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^digits: run id prefix "mx0a" is ambiguous; it matches 2 runs:\n {2}mx0a00000001 \(cnn-grid: lr=0\.001 seed=1\)\n {2}mx0a00000002 /);
    });

    it('exits 2 with a suggestion for an unknown id', () => {
      const id = db.ids.rnn;
      const typo = `${id.slice(0, 10)}${id[10] === 'z' ? 'y' : 'z'}${id[11]}`;
      const r = digits(['show', typo, '--db', db.file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, new RegExp(`no run with id "${typo}" in the tracking database \\(did you mean \\w{12}\\?\\); \`digits runs\` lists the runs`));
    });
  });

  describe('compare', () => {
    it('lists only the params that differ, and metrics side by side', () => {
      const a = db.ids['lr=0.001 seed=1'];
      const b = db.ids['lr=0.003 seed=2'];
      const r = digits(['compare', a, b, '--db', db.file]);
      assert.equal(r.code, 0, r.stderr);
      const params = r.stdout.split('params that differ:\n')[1].split('\n\nmetrics:')[0];
      const keys = params.split('\n').slice(1).filter(Boolean).map((l) => l.trim().split(/\s+/)[0]);
      assert.deepEqual(keys.sort(), ['seed', 'train.optimizer.learningRate']);
      assert.match(r.stdout, /test_accuracy\s+0\.9810\s+0\.9840/);
    });

    it('compares a CNN with an RNN (keys missing on one side differ)', () => {
      const r = digits(['compare', db.ids['lr=0.001 seed=1'], db.ids.rnn, '--json', '--db', db.file]);
      const out = JSON.parse(r.stdout);
      assert.deepEqual(out.params['model.kind'], ['cnn', 'rnn']);
      assert.deepEqual(out.params['model.units'], [null, 128]);
      assert.equal(out.params['train.batchSize'], undefined);
    });

    it('exits 2 for a single run', () => {
      const r = digits(['compare', db.ids.rnn, '--db', db.file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /compare needs at least two runs, got 1/);
    });
  });
});
