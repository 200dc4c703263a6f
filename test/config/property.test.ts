/**
 * Property tests: whatever text an experiment file holds and whatever `--set` flags come with it,
 * loading ends in an experiment or a UserError, never another exception (a crash the user would
 * see as a bug with a stack trace).
 */
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import { stringify } from 'yaml';
import { loadExperiment, type LoadOptions } from '../../src/config/load';
import { writeYaml } from './helpers';

/** Loads `text` with `options`; true for an experiment, false for a UserError; anything else fails the property. */
function loadsOrRefuses(text: string, options: LoadOptions = {}): boolean {
  const file = writeYaml('prop.yaml', text);
  try {
    loadExperiment(file, options);
    return true;
  } catch (err) {
    if ((err as Error).name === 'UserError') return false;
    throw err;
  }
}

const KEYS = [
  'name', 'description', 'extends', 'data', 'model', 'train', 'seed', 'grid', 'random', 'seeds', 'trials', 'n', 'params',
  'kind', 'blocks', 'filters', 'kernelSize', 'stride', 'pool', 'dense', 'cell', 'members', 'spec', 'trial', 'run', 'combine',
  'optimizer', 'learningRate', 'epochs', 'batchSize', 'schedule', 'earlyStopping', 'augment', 'replicas', 'ema',
  'trainLimit', 'testLimit', 'validationFraction', 'splitSeed', 'uniform', 'loguniform', 'int', 'choice',
  'cnn', 'rnn', 'ensemble', 'exponential', 'plateau', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '0', '-1', '',
];
const DOTTED = ['train.epochs', 'train.optimizer.learningRate', 'model.blocks.0.filters', 'model.blocks.99.filters', 'model.blocks.-1.filters',
  'model.kind', 'model', 'seed', 'data.splitSeed', 'train.schedule.kind', 'model.members.0.spec', '__proto__.polluted', 'constructor.prototype.x', 'a..b', '.'];

const scalar = fc.oneof(fc.integer({ min: -5, max: 70000 }), fc.double(), fc.boolean(), fc.constant(null), fc.string({ maxLength: 8 }), fc.constantFrom(...KEYS));
/** Values shaped like experiment files: mappings over the schema's own words (and prototype names), lists, scalars. */
const value = fc.letrec((tie) => ({
  node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('list'), tie('map')),
  list: fc.array(tie('node'), { maxLength: 4 }),
  map: fc.dictionary(fc.oneof(fc.constantFrom(...KEYS, ...DOTTED), fc.string({ maxLength: 6 })), tie('node'), { maxKeys: 5 }),
})).node;
const setFlag = fc.oneof(
  fc.string({ maxLength: 30 }),
  fc.tuple(fc.constantFrom(...DOTTED, ...KEYS), fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom('3', '-1', '1e9', '{kind: rnn}', '[1, 2]', '&a x', '*a', '"', '[', 'null')))
    .map(([k, v]) => `${k}=${v}`),
);

describe('config (properties)', () => {
  describe('loadExperiment', () => {
    it('ends in an experiment or a UserError for any text', () => {
      fc.assert(fc.property(fc.string({ maxLength: 200 }), (text) => void loadsOrRefuses(text)), { numRuns: 300 });
      fc.assert(fc.property(fc.array(fc.constantFrom('{', '}', '[', ']', ':', ',', '-', ' ', '\n', '&a', '*a', '!!', 'a', '1', '"', '#', '<<'), { maxLength: 60 }).map((parts) => parts.join('')),
        (text) => void loadsOrRefuses(text)), { numRuns: 300 });
    });

    it('ends in an experiment or a UserError for any mapping of the schema\'s words', () => {
      fc.assert(fc.property(value, (v) => void loadsOrRefuses(stringify(v))), { numRuns: 400 });
    });

    it('ends in an experiment or a UserError for any --set flags, and never pollutes a prototype', () => {
      fc.assert(fc.property(fc.array(setFlag, { maxLength: 4 }), (flags) => void loadsOrRefuses('name: p\ntrain: {epochs: 1}\n', { overrides: flags })), { numRuns: 400 });
      fc.assert(fc.property(value, fc.array(setFlag, { maxLength: 3 }), (v, flags) => void loadsOrRefuses(stringify(v), { overrides: flags })), { numRuns: 200 });
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(({} as Record<string, unknown>).x, undefined);
    });

    it('accepts what it should: the generated files include valid ones', () => {
      assert.equal(loadsOrRefuses(stringify({ train: { epochs: 2 }, grid: { seed: [1, 2] } })), true);
    });
  });
});
