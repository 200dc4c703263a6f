import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { isUserError } from '../../src/errors';
import { finishedRun, spec, tempStore } from './fixtures';

/** Pieces users type in --where and --sort, and noise around them. */
const NAMES = ['val_accuracy', 'test_accuracy', 'status', 'model.kind', 'seed', 'tag.keep', 'train.optimizer.learningRate', 'id', 'name', 'nope', 'tag.', '__proto__'];
const OPS = ['=', '!=', '>', '>=', '<', '<=', '==', '=>', ''];
const VALUES = ['0.99', '1e308', '-0', 'NaN', 'Infinity', 'cnn', '"quoted and text"', "'x", '"', 'null', 'finished', '', ' ', '%', '_', "'; DROP TABLE runs; --", '\u0000', 'é'];

const clause = fc.tuple(fc.constantFrom(...NAMES), fc.constantFrom(...OPS), fc.constantFrom(...VALUES)).map(([n, o, v]) => `${n}${o}${v}`);
const structured = fc.array(clause, { maxLength: 4 }).chain((cs) => fc.constantFrom(' and ', ' AND ', ' or ', ',', '  and').map((j) => cs.join(j)));
const anyText = fc.oneof(fc.string({ maxLength: 60 }), fc.string({ unit: 'grapheme', maxLength: 30 }), structured, fc.constantFrom(',,,', '-', '--', 'and', ' and and ', 'x'.repeat(5000)));

/** Runs `fn`; a UserError is a fine ending, anything else is a crash. */
function endsWell(fn: () => unknown): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    if (isUserError(err)) return true;
    throw err;
  }
}

describe('tracking/where (property)', () => {
  const { store } = tempStore();
  finishedRun(store, 'e', 'a', spec(), 0.98, 0.97);
  finishedRun(store, 'e', 'b', spec((s) => { s.seed = 2; }), 0.99, 0.985);
  after(() => store.close());

  describe('compileWhere through listRuns', () => {
    it('any --where ends in runs or a UserError, never a crash', () => {
      fc.assert(fc.property(anyText, (where) => endsWell(() => store.listRuns({ where }))), { numRuns: 400 });
    });
  });

  describe('compileSort through listRuns', () => {
    it('any --sort ends in runs or a UserError, never a crash', () => {
      fc.assert(fc.property(anyText, (sort) => endsWell(() => store.listRuns({ sort }))), { numRuns: 400 });
    });
    it('refuses ",,," and an over-long expression with a UserError quoting it', () => {
      assert.throws(() => store.listRuns({ sort: ',,,' }), { name: 'UserError', message: /--sort: ",,," has an empty key/ });
      assert.throws(() => store.listRuns({ where: `seed=${'1'.repeat(3000)}` }), { name: 'UserError', message: /--where is 3005 characters long, more than 2000/ });
    });
  });
});
