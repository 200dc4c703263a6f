import { strict as assert } from 'node:assert';
import { colourEnabled, coloursFor } from '../../../src/cli/format/colour';

describe('cli/format/colour', () => {
  describe('colourEnabled', () => {
    const tty = { isTTY: true };
    const pipe = { isTTY: false };
    const cases: [string, { isTTY: boolean }, NodeJS.ProcessEnv, boolean][] = [
      ['a terminal', tty, {}, true],
      ['a pipe or file', pipe, {}, false],
      ['a pipe under CI (unlike picocolors)', pipe, { CI: 'true' }, false],
      ['a terminal with NO_COLOR', tty, { NO_COLOR: '1' }, false],
      ['a terminal with an empty NO_COLOR (unset by the standard)', tty, { NO_COLOR: '' }, true],
      ['a pipe with FORCE_COLOR', pipe, { FORCE_COLOR: '1' }, true],
      ['a terminal with FORCE_COLOR=0', tty, { FORCE_COLOR: '0' }, false],
      ['FORCE_COLOR and NO_COLOR together', pipe, { FORCE_COLOR: '1', NO_COLOR: '1' }, false],
      ['a dumb terminal', tty, { TERM: 'dumb' }, false],
    ];
    for (const [what, stream, env, expected] of cases) {
      it(`${expected ? 'colours' : 'does not colour'} ${what}`, () => assert.equal(colourEnabled(stream, env), expected));
    }
  });

  describe('coloursFor', () => {
    it('returns functions that leave text alone when colour is off', () => {
      assert.equal(coloursFor({ isTTY: false }, {}).red('x'), 'x');
      assert.equal(coloursFor({ isTTY: false }, { FORCE_COLOR: '1' }).red('x'), '\x1b[31mx\x1b[39m');
    });
  });
});
