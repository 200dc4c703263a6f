/** Huge, hostile and malformed experiment input: each refused early, as one UserError naming the problem. */
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { LIMITS } from '../../src/config/limits';
import { loadExperiment } from '../../src/config/load';
import { digits } from '../cli/commands/helpers';
import { dir, problemsOf, writeYaml } from './helpers';

const BILLION_LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat(['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`))
  .join('\n');

describe('config (bounded work and hostile input)', () => {
  describe('loadExperiment (limits)', () => {
    it('refuses a 26 MB YAML list by its size, before parsing it', () => {
      const file = path.join(dir, 'huge.yaml');
      fs.writeFileSync(file, `name: huge\nseeds:\n${'  - 1\n'.repeat(26 * 1024 * 1024 / 6)}`);
      assert.throws(() => loadExperiment(file), { name: 'UserError', message: /huge\.yaml: is larger than 256 KiB, the limit for an experiment file/ });
    });
    it('refuses many unknown keys by their count, with one line (not one line per key)', () => {
      const keys = Array.from({ length: LIMITS.nodes + 1 }, (_, i) => `k${i}: 1`).join('\n');
      const message = problemsOf(`${keys}\n`);
      assert.match(message, /holds more than 10,000 keys and list items, the limit for an experiment file/);
      assert.equal(message.split('\n').length, 1);
    });
    it('lists at most LIMITS.problems problems and counts the rest', () => {
      const keys = Array.from({ length: 200 }, (_, i) => `  k${i}: 1`).join('\n');
      const message = problemsOf(`train:\n${keys}\n`);
      assert.match(message, /200 problems:/);
      assert.match(message, /\.\.\. and 150 more$/);
    });
    it('refuses a 10^6-trial grid from the product of its axes, without expanding it', () => {
      const axes = ['train.epochs', 'train.batchSize', 'seed', 'model.dense.0', 'train.optimizer.learningRate', 'data.trainLimit']
        .map((k) => `  ${k}: [${Array.from({ length: 10 }, (_, i) => i + 1).join(', ')}]`).join('\n');
      const started = process.hrtime.bigint();
      const message = problemsOf(`grid:\n${axes}\n`);
      assert.match(message, /expands to 1,000,000 trials, more than the limit of 10,000; split the grid/);
      assert.ok(Number(process.hrtime.bigint() - started) / 1e9 < 5, 'refused before planning a million trials');
      assert.match(problemsOf('random: {n: 20000, params: {seed: {int: [0, 9]}}}\n'), /random\.n: must be an integer in \[1, 10000\], got 20000/);
    });
    it('reports the YAML alias limit ("billion laughs") as one line, not a bug', () => {
      const message = problemsOf(BILLION_LAUGHS);
      assert.match(message, /^[^\n]*x\.yaml: its YAML aliases \(\*name\) expand to too much data/);
      assert.equal(message.split('\n').length, 1);
    });
    it('refuses deep nesting', () => {
      assert.match(problemsOf(`model: ${'['.repeat(100000)}${']'.repeat(100000)}\n`), /nested (more than 32 levels deep|too deeply)/);
      assert.match(problemsOf(`model: ${'{a: '.repeat(40)}1${'}'.repeat(40)}\n`), /nested more than 32 levels deep/);
    });
    it('refuses a folder and a FIFO as experiment files instead of hanging on them', function () {
      assert.throws(() => loadExperiment(dir), { name: 'UserError', message: /is not a regular file \(a folder, FIFO or device\)/ });
      const fifo = path.join(dir, 'fifo.yaml');
      try {
        execFileSync('mkfifo', [fifo]);
      } catch {
        this.skip(); // no mkfifo here
      }
      assert.throws(() => loadExperiment(fifo), { name: 'UserError', message: /fifo\.yaml: is not a regular file \(a folder, FIFO or device\)/ });
    });
  });

  describe('loadExperiment (keys that name prototype members)', () => {
    for (const key of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf']) {
      it(`reports ${key} as an unknown key, in a file and in --set`, () => {
        assert.match(problemsOf(`${key}: {polluted: 1}\n`), new RegExp(`x\\.yaml:1:1: ${key}: unknown key`));
        assert.match(problemsOf(`train:\n  ${key}: 1\n`), new RegExp(`x\\.yaml:2:3: train\\.${key}: unknown key`));
        assert.match(problemsOf(`model: {blocks: [{filters: 8, ${key}: 1}]}\n`), new RegExp(`model\\.blocks\\.0\\.${key}: unknown key`));
        assert.match(problemsOf('seed: 1\n', { overrides: [`train.${key}=1`] }), new RegExp(`--set train\\.${key}=1: train\\.${key}: unknown key`));
        assert.match(problemsOf('seed: 1\n', { overrides: [`${key}.polluted=1`] }), new RegExp(`--set ${key}\\.polluted=1: ${key}: unknown key`));
        assert.match(problemsOf(`grid:\n  ${key}.polluted: [1]\n`), new RegExp(`${key}: unknown key`));
      });
    }
    it('never sets a property on a prototype', () => {
      problemsOf('seed: 1\n', { overrides: ['__proto__.polluted=1', 'constructor.prototype.polluted=1', 'train.__proto__.polluted=1'] });
      problemsOf('__proto__: {polluted: 1}\ntrain: {__proto__: {polluted: 1}}\n');
      problemsOf('trials:\n  - name: a\n    __proto__: {polluted: 1}\n');
      problemsOf('random: {n: 1, params: {__proto__.polluted: {choice: [1]}}}\n');
      assert.equal(({} as Record<string, unknown>).polluted, undefined);
      assert.equal(([] as unknown as Record<string, unknown>).polluted, undefined);
    });
  });

  describe('loadExperiment (list indices in --set and grid keys)', () => {
    it('names the key and the valid range for an index past the end or below 0', () => {
      assert.match(problemsOf('seed: 1\n', { overrides: ['model.blocks.99.filters=3'] }),
        /--set model\.blocks\.99\.filters=3: model\.blocks\.99: is not an item of model\.blocks, which has 2 items; use an index from 0 to 1/);
      assert.match(problemsOf('seed: 1\n', { overrides: ['model.blocks.-1.filters=3'] }),
        /--set model\.blocks\.-1\.filters=3: model\.blocks\.-1: is not an item of model\.blocks, which has 2 items; use an index from 0 to 1/);
      assert.match(problemsOf('grid:\n  model.blocks.2.filters: [8, 16]\n'), /x\.yaml:2:3: model\.blocks\.2: is not an item of model\.blocks, which has 2 items/);
      assert.match(problemsOf('model: {dense: []}\n', { overrides: ['model.dense.0=3'] }), /model\.dense\.0: is not an item of model\.dense, which has 0 items; use no index \(the list is empty\)/);
    });
    it('still sets an existing item, also through a list the file does not write', () => {
      const exp = loadExperiment(writeYaml('idx.yaml', 'seed: 1\n'), { overrides: ['model.blocks.1.filters=3'] });
      assert.equal(exp.trials[0].spec.model.kind === 'cnn' && exp.trials[0].spec.model.blocks[1].filters, 3);
    });
  });

  describe('digits run', () => {
    it('exits 2 with one line for a billion-laughs file and for --set __proto__', () => {
      const laughs = writeYaml('laughs.yaml', BILLION_LAUGHS);
      const r = digits(['run', laughs, '--db', path.join(dir, 'db.sqlite')]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
      assert.match(r.stderr, /aliases/);
      const p = digits(['run', writeYaml('p.yaml', 'seed: 1\n'), '--set', '__proto__.polluted=1', '--db', path.join(dir, 'db.sqlite')]);
      assert.equal(p.code, 2, p.stderr);
      assert.match(p.stderr, /__proto__: unknown key/);
    });
  });
});
