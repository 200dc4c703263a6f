import { strict as assert } from 'node:assert';
import Database from 'better-sqlite3';
import { READ_COLUMNS, resultColumns, RUN_COLUMNS } from '../../src/tracking/columns';
import { evaluation, summary, tempStore } from './fixtures';

describe('tracking/columns', () => {
  describe('RUN_COLUMNS', () => {
    it('declares exactly the columns the migrations create, with their types and NOT NULL', () => {
      const { store, file } = tempStore();
      store.close();
      const db = new Database(file, { readonly: true });
      const table = db.prepare('PRAGMA table_info(runs)').all() as { name: string; type: string; notnull: number }[];
      db.close();
      const declared = Object.entries(RUN_COLUMNS).map(([name, c]) => ({ name, type: c.type, notnull: 'notNull' in c && c.notNull ? 1 : 0 }));
      const sortByName = <T extends { name: string }>(xs: T[]) => [...xs].sort((a, b) => a.name.localeCompare(b.name));
      // the primary key is NOT NULL in effect; SQLite reports it as 0 for TEXT PRIMARY KEY
      assert.deepEqual(sortByName(table.map((c) => ({ name: c.name, type: c.type, notnull: c.name === 'id' ? 1 : c.notnull }))), sortByName(declared));
    });
  });

  describe('resultColumns', () => {
    it('writes every number a query can ask of a result, and both evaluations once, as JSON', () => {
      const cols = resultColumns({ summary: summary(0.98), validation: evaluation(0.98, 0.05), test: evaluation(0.97) });
      assert.equal(cols.val_accuracy, 0.98);
      assert.equal(cols.val_loss, 0.05);
      assert.equal(cols.test_accuracy, 0.97);
      assert.equal(JSON.parse(cols.validation as string).accuracy, 0.98);
      assert.ok(!READ_COLUMNS.includes('val_accuracy' as never), 'query copies are not read back: the Run has the evaluation');
    });
  });
});
