import { strict as assert } from 'node:assert';
import { csvCell } from '../../../src/cli/format/csv';

describe('cli/format/csv', () => {
  describe('csvCell', () => {
    const cases: [string | number | boolean | null, string][] = [
      ['plain', 'plain'],
      [0.9875, '0.9875'],
      [true, 'true'],
      [null, ''],
      ['a,b', '"a,b"'],
      ['say "hi"', '"say ""hi"""'],
      ['two\nlines', '"two\nlines"'],
      ['cr\rhere', '"cr\rhere"'],
    ];
    for (const [value, expected] of cases) {
      it(`writes ${JSON.stringify(value)} as ${JSON.stringify(expected)}`, () => assert.equal(csvCell(value), expected));
    }
  });
});
