import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { SCHEMA_VERSION } from '../../src/tracking/schema';
import { defaultDbPath, openStore } from '../../src/tracking/open';
import { SqliteStore } from '../../src/tracking/store';
import { epochs, evaluation, finishedRun, provenance, renameRun, spec, summary, tempDir, tempStore } from './fixtures';

describe('tracking/store', () => {
  describe('openStore', () => {
    it('creates and migrates an empty file to the current schema version', () => {
      const { store, file } = tempStore();
      store.close();
      const db = new Database(file);
      assert.equal(db.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      assert.equal(db.pragma('journal_mode', { simple: true }), 'wal');
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => (r as { name: string }).name);
      assert.deepEqual(tables, ['metrics', 'param_keys', 'params', 'runs', 'steps', 'tags']);
      db.close();
    });

    it('is idempotent: reopening keeps the data and the version', () => {
      const { store, file } = tempStore();
      const id = finishedRun(store, 'e', 'a', spec(), 0.98, 0.97);
      store.close();
      const again = openStore(file);
      assert.equal(again.getRun(id)?.status, 'finished');
      assert.equal(again.integrityCheck(), 'ok');
      again.close();
    });

    it('words its own failures when built directly (notebooks may): a database in a missing folder is one user error', () => {
      assert.throws(() => new SqliteStore(path.join(tempDir(), 'missing', 'db.sqlite')), (err: Error) => err.name === 'UserError' && /cannot be created: its folder does not exist/.test(err.message));
    });

    it('refuses a SQLite database of another program and changes nothing in it (no tables added, journal mode kept)', () => {
      const file = path.join(tempDir(), 'other.sqlite');
      const other = new Database(file);
      other.exec('CREATE TABLE foo (x); INSERT INTO foo VALUES (1)');
      other.close();
      const before = fs.readFileSync(file);
      assert.throws(() => openStore(file, { mustExist: true }), (err: Error) => err.name === 'UserError' && /is a SQLite database of something else \(its tables: foo\)/.test(err.message));
      assert.deepEqual(fs.readFileSync(file), before, 'the file is byte for byte as it was');
      assert.ok(!fs.existsSync(`${file}-wal`), 'not switched to WAL');
    });

    it('migrates a version-4 database by adding the calibration columns (null for its runs); new runs fill them and --where reads them', () => {
      const { store, file } = tempStore();
      const old = finishedRun(store, 'e', 'old', spec(), 0.98, 0.97);
      store.close();
      const db = new Database(file);
      for (const column of ['val_ece', 'test_ece', 'temperature', 'test_ece_calibrated']) db.exec(`ALTER TABLE runs DROP COLUMN ${column}`);
      db.pragma('user_version = 4');
      db.close();
      const again = openStore(file);
      const run = again.createRun({ experiment: 'e', name: 'new', trialHash: 'h-new', spec: spec(), seed: 2 });
      again.finishRun(run.id, {
        summary: summary(0.9), validation: { ...evaluation(0.9), ece: 0.03 }, test: { ...evaluation(0.9), ece: 0.04 },
        calibration: { temperature: 1.7, testEce: 0.01 },
      });
      assert.deepEqual(again.listRuns({ where: 'test_ece_calibrated < 0.02 and temperature > 1.5 and test_ece = 0.04 and val_ece = 0.03' }).map((r) => r.id), [run.id]);
      assert.equal(again.getRun(run.id)?.test?.ece, 0.04, 'the ECE is kept in the evaluation JSON too');
      again.close();
      const check = new Database(file);
      assert.deepEqual(check.prepare('SELECT test_ece, temperature FROM runs WHERE id = ?').get(old), { test_ece: null, temperature: null });
      check.close();
    });

    it('migrates a version-1 database by adding the steps table and the attempt column, keeping its runs', () => {
      const { store, file } = tempStore();
      const id = finishedRun(store, 'e', 'a', spec(), 0.98, 0.97);
      store.close();
      const db = new Database(file);
      db.exec('DROP TABLE steps');
      db.exec('ALTER TABLE runs DROP COLUMN attempt');
      for (const column of ['val_ece', 'test_ece', 'temperature', 'test_ece_calibrated']) db.exec(`ALTER TABLE runs DROP COLUMN ${column}`);
      db.pragma('user_version = 1');
      db.close();
      const again = openStore(file);
      assert.equal(again.getRun(id)?.status, 'finished');
      assert.equal(again.getRun(id)?.attempt, 0);
      assert.deepEqual(again.steps(id), []);
      again.logSteps(id, [{ step: 1, epoch: 0.5, loss: 2, accuracy: 0.25 }]);
      assert.equal(again.steps(id).length, 1);
      again.close();
      const check = new Database(file);
      assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
      check.close();
    });

    it('refuses a database from a newer schema', () => {
      const file = path.join(tempDir(), 'new.sqlite');
      const db = new Database(file);
      db.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
      db.close();
      assert.throws(() => openStore(file), /newer than this digit-lab/);
    });

    it('with mustExist, refuses to create a missing file', () => {
      const file = path.join(tempDir(), 'missing.sqlite');
      assert.throws(() => openStore(file, { mustExist: true }), { name: 'UserError', message: /no tracking database at/ });
      assert.equal(fs.existsSync(file), false);
    });
  });

  describe('defaultDbPath', () => {
    const saved = process.env.DIGITS_DB;
    afterEach(() => (saved === undefined ? delete process.env.DIGITS_DB : (process.env.DIGITS_DB = saved)));
    it('is runs/digits.sqlite in the project folder, whatever the current directory', () => {
      delete process.env.DIGITS_DB;
      assert.equal(defaultDbPath(), path.resolve(__dirname, '..', '..', 'runs', 'digits.sqlite'));
    });
    it('prefers an explicit file, then DIGITS_DB, resolving relative paths against the current directory', () => {
      process.env.DIGITS_DB = 'from-env.sqlite';
      assert.equal(defaultDbPath(), path.resolve('from-env.sqlite'));
      assert.equal(defaultDbPath('/tmp/x.sqlite'), '/tmp/x.sqlite');
    });
  });

  describe('logSteps / steps', () => {
    it('stores a batch of step points, returns them in step order and replaces a repeated step', () => {
      const { store } = tempStore();
      const id = finishedRun(store, 'e', 'a', spec(), 0.98, 0.97);
      store.logSteps(id, [{ step: 4, epoch: 1, loss: 0.5, accuracy: 0.8 }, { step: 2, epoch: 0.5, loss: 1, accuracy: 0.6 }]);
      store.logSteps(id, [{ step: 4, epoch: 1, loss: 0.4, accuracy: 0.85 }]);
      store.logSteps(id, []);
      assert.deepEqual(store.steps(id), [{ step: 2, epoch: 0.5, loss: 1, accuracy: 0.6 }, { step: 4, epoch: 1, loss: 0.4, accuracy: 0.85 }]);
      store.deleteRun(id);
      assert.deepEqual(store.steps(id), []);
      store.close();
    });
  });

  describe('createRun / finishRun / getRun', () => {
    it('round-trips a run as a plain object with flattened params', () => {
      const { store } = tempStore();
      const s = spec((x) => { x.train.optimizer.learningRate = 0.003; });
      const run = store.createRun({ experiment: 'exp', name: 'lr=0.003', trialHash: 'h1', spec: s, seed: 1 });
      assert.equal(run.status, 'queued');
      assert.equal(run.params['train.optimizer.learningRate'], 0.003);
      assert.equal(run.params['model.blocks.1.filters'], 64);
      store.startRun(run.id, provenance(), '/tmp/a');
      store.logEpochs(run.id, epochs(3));
      store.finishRun(run.id, { summary: summary(0.99), validation: evaluation(0.99), test: evaluation(0.985) });
      const got = store.getRun(run.id)!;
      assert.equal(got.status, 'finished');
      assert.deepEqual(got.spec, s);
      assert.equal(got.test?.accuracy, 0.985);
      assert.equal(got.summary?.bestValAccuracy, 0.99);
      assert.equal(got.provenance?.pid, process.pid);
      assert.deepEqual(store.history(run.id).map((e) => e.epoch), [1, 2, 3]);
      store.close();
    });

    it('lists runs as objects whose spreads and JSON carry every field', () => {
      const { store } = tempStore();
      const s = spec((x) => { x.seed = 7; });
      const id = finishedRun(store, 'e', 'a', s, 0.97, 0.96);
      const [run] = store.listRuns();
      const copy = { ...run };
      const json = JSON.parse(JSON.stringify(run));
      for (const r of [copy, json]) {
        assert.equal(r.id, id);
        assert.deepEqual(r.spec, s);
        assert.equal(r.params.seed, 7);
        assert.equal(r.test.accuracy, 0.96);
        assert.equal(r.provenance.pid, process.pid);
      }
      run.note = 'changed locally';
      run.test = null;
      assert.equal(run.test, null, 'fields stay assignable');
      store.close();
    });

    it('gives unique ids whose first characters differ even when made together, listed in creation order', () => {
      const { store } = tempStore();
      const ids = Array.from({ length: 20 }, () => store.createRun({ experiment: 'e', name: 'n', trialHash: 'h', spec: spec(), seed: 1 }).id);
      assert.equal(new Set(ids).size, 20);
      assert.ok(ids.every((id) => /^[0-9a-z]{12}$/.test(id)));
      assert.ok(new Set(ids.map((id) => id.slice(0, 3))).size >= 19, 'three characters tell runs made in the same moment apart');
      assert.deepEqual(store.listRuns().map((r) => r.id), ids, 'the default order is creation order');
      assert.deepEqual(store.listRuns({ sort: '-created_at' }).map((r) => r.id), [...ids].reverse(), 'newest first');
      store.close();
    });

    it('replaces an epoch logged twice (resumed training) instead of duplicating it', () => {
      const { store } = tempStore();
      const { id } = store.createRun({ experiment: 'e', name: 'n', trialHash: 'h', spec: spec(), seed: 1 });
      store.logEpochs(id, epochs(2));
      store.logEpochs(id, epochs(2, 2));
      assert.deepEqual(store.history(id).map((e) => e.epoch), [1, 2, 3]);
      store.close();
    });
  });

  describe('setTags / setNote / deleteRun / findByHash', () => {
    it('tags, notes, finds by hash and deletes with everything attached', () => {
      const { store } = tempStore();
      const id = finishedRun(store, 'e', 'a', spec(), 0.98, 0.97);
      store.logEpochs(id, epochs(2));
      store.setTags(id, { keep: 'yes', paper: 'fig2' });
      store.setNote(id, 'best so far');
      const run = store.getRun(id)!;
      assert.deepEqual(run.tags, { keep: 'yes', paper: 'fig2' });
      assert.equal(run.note, 'best so far');
      assert.deepEqual(store.findByHash('a-hash').map((r) => r.id), [id]);
      store.deleteRun(id);
      assert.equal(store.getRun(id), null);
      assert.deepEqual(store.history(id), []);
      assert.equal(store.integrityCheck(), 'ok');
      store.close();
    });
  });

  describe('resolveRunId', () => {
    it('accepts a unique prefix and explains unknown and ambiguous ones', () => {
      const { store, file } = tempStore();
      const a = renameRun(file, finishedRun(store, 'e', 'a', spec(), 0.9, 0.9), 'abc100000001');
      const b = renameRun(file, finishedRun(store, 'e', 'b', spec(), 0.9, 0.9), 'abc200000002');
      assert.equal(store.resolveRunId(a), a);
      assert.equal(store.resolveRunId(b.slice(0, 11)), b);
      assert.throws(() => store.resolveRunId(a.slice(0, 3)), { name: 'UserError', message: /ambiguous.*\n.*\(e: a\)/s });
      assert.throws(() => store.resolveRunId('zzzz'), { name: 'UserError', message: /no run with id "zzzz" in the tracking database \(did you mean/ });
      store.close();
    });
  });
});
