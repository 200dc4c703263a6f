import { strict as assert } from 'node:assert';
import { JSON_SCHEMA_VERSION, jsonDocument, jsonLine } from '../../../src/cli/format/json';
import { digits, filledDb, type Filled } from '../commands/helpers';

describe('cli/format/json', () => {
  describe('jsonDocument', () => {
    it('puts schemaVersion first, then the fields', () => {
      assert.equal(jsonDocument({ runs: [] }), '{\n  "schemaVersion": 1,\n  "runs": []\n}\n');
      assert.equal(jsonLine({ id: 'a' }), '{"schemaVersion":1,"id":"a"}\n');
    });
  });

  describe('every --json output of the CLI', () => {
    let db: Filled;
    before(() => (db = filledDb()));
    const cases: [string, (d: Filled) => string[], string][] = [
      ['runs', (d) => ['runs', '--db', d.file, '--json'], 'runs'],
      ['runs --group-seeds', (d) => ['runs', '--db', d.file, '--json', '--group-seeds'], 'groups'],
      ['show', (d) => ['show', d.ids.rnn, '--db', d.file, '--json'], 'history'],
      ['compare', (d) => ['compare', d.ids.rnn, d.ids['lr=0.001 seed=1'], '--db', d.file, '--json'], 'metrics'],
      ['best', (d) => ['best', '--db', d.file, '--json'], 'id'],
    ];
    for (const [what, args, field] of cases) {
      it(`${what}: an object whose first key is schemaVersion ${JSON_SCHEMA_VERSION}`, () => {
        const r = digits(args(db));
        assert.equal(r.code, 0, r.stderr);
        const doc = JSON.parse(r.stdout);
        assert.equal(Object.keys(doc)[0], 'schemaVersion');
        assert.equal(doc.schemaVersion, JSON_SCHEMA_VERSION);
        assert.ok(field in doc, `${field} in ${Object.keys(doc).join(', ')}`);
      });
    }
  });
});
