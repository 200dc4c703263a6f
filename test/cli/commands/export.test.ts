import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../../src/tracking/open';
import { digits, filledDb, type Filled } from './helpers';

/** Reads CSV with Python's csv module (an independent reader, as pandas users would). */
function readCsv(file: string): Record<string, string>[] {
  const r = spawnSync('python3', ['-c', 'import csv,json,sys; print(json.dumps(list(csv.DictReader(open(sys.argv[1], newline="")))))', file], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout);
}

describe('cli/commands', () => {
  let db: Filled;
  before(() => {
    db = filledDb();
    const store = openStore(db.file);
    store.setTags(db.ids.rnn, { remark: 'long, "quoted"\nand two lines' });
    store.close();
  });

  describe('export', () => {
    it('writes CSV with the fields, metrics, param.<key> and tag.<key> columns that pandas or csv read back', () => {
      const out = path.join(db.dir, 'runs.csv');
      const r = digits(['export', '--format', 'csv', '--db', db.file, '-o', out]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^exported 8 runs to .*runs\.csv\n$/);
      const rows = readCsv(out);
      assert.equal(rows.length, 8);
      const rnn = rows.find((row) => row.id === db.ids.rnn)!;
      assert.equal(rnn.experiment, 'rnn-lstm');
      assert.equal(Number(rnn.test_accuracy), 0.975);
      assert.equal(rnn['param.model.kind'], 'rnn');
      assert.equal(rnn['tag.remark'], 'long, "quoted"\nand two lines');
      const queued = rows.find((row) => row.id === db.ids.queued)!;
      assert.equal(queued.test_accuracy, '', 'a missing metric is an empty cell');
      assert.ok(['seed', 'status', 'val_accuracy', 'train_seconds', 'param.train.optimizer.learningRate'].every((k) => k in rnn), Object.keys(rnn).join(','));
    });

    it('writes JSON Lines, one run a line with schemaVersion, filtered by --experiment and --where, sorted by --sort', () => {
      const r = digits(['export', '--format', 'jsonl', '--db', db.file, '-e', 'cnn-grid', '--where', 'status=finished and seed>1', '--sort', '-test_accuracy']);
      assert.equal(r.code, 0, r.stderr);
      const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
      assert.deepEqual(lines.map((l) => l.name), ['lr=0.003 seed=3', 'lr=0.003 seed=2', 'lr=0.001 seed=3', 'lr=0.001 seed=2']);
      for (const l of lines) {
        assert.equal(Object.keys(l)[0], 'schemaVersion');
        assert.equal(l.schemaVersion, 1);
        assert.equal(typeof l.metrics.val_accuracy, 'number');
        assert.equal(l.params['train.optimizer.learningRate'], l.name.startsWith('lr=0.003') ? 0.003 : 0.001);
        assert.deepEqual(l.tags, {});
      }
    });

    it('the README\'s SQL examples name real tables and columns (run with Python\'s sqlite3 on a real database)', () => {
      const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'README.md'), 'utf8');
      const section = readme.split('## Export and reading the database')[1].split('\n## ')[0];
      const queries = [...section.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]).filter((q) => !q.includes('INSTALL'));
      assert.ok(queries.length >= 2, `sql blocks: ${queries.length}`);
      for (const sql of queries) {
        const r = spawnSync('python3', ['-c', 'import sqlite3,sys; db=sqlite3.connect("file:"+sys.argv[1]+"?mode=ro", uri=True); print(len(db.execute(sys.argv[2]).fetchall()))', db.file, sql], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${sql}\n${r.stderr}`);
      }
    });

    it('exits 2 with one line for a bad --format, a bad --where, and an --output in a missing folder', () => {
      const format = digits(['export', '--format', 'xlsx', '--db', db.file]);
      assert.equal(format.code, 2);
      assert.match(format.stderr, /xlsx/);
      const where = digits(['export', '--format', 'csv', '--db', db.file, '--where', 'val_acc>0.9']);
      assert.equal(where.code, 2);
      assert.match(where.stderr, /^digits: unknown name "val_acc"/);
      const output = digits(['export', '--format', 'csv', '--db', db.file, '-o', path.join(db.dir, 'no', 'such', 'dir', 'x.csv')]);
      assert.equal(output.code, 2);
      assert.match(output.stderr, /^digits: cannot write --output ".*x\.csv" \(ENOENT\); name a file in an existing, writable folder\n$/);
      assert.doesNotMatch(format.stderr + where.stderr + output.stderr, /\n\s+at /, 'no stack trace');
      assert.deepEqual(fs.readdirSync(db.dir).filter((f) => f.endsWith('.tmp')), []);
    });
  });
});
