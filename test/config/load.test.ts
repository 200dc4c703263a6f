import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { DEFAULT_RUN_SPEC } from '../../src/config/defaults';
import { loadExperiment, parseSetFlags } from '../../src/config/load';
import { problemsOf, writeYaml } from './helpers';

const experiments = path.join(__dirname, '..', '..', 'experiments');

describe('config/load', () => {
  describe('loadExperiment (shipped files)', () => {
    const files = fs.readdirSync(experiments).filter((f) => f.endsWith('.yaml'));
    it('ships the expected example files', () => {
      for (const f of ['cnn-baseline', 'cnn-grid', 'rnn-lstm', 'rnn-gru', 'ensemble', 'quickstart']) assert.ok(files.includes(`${f}.yaml`), f);
    });
    for (const f of files) {
      it(`validates experiments/${f}`, () => {
        const exp = loadExperiment(path.join(experiments, f));
        assert.ok(exp.trials.length >= 1);
        assert.equal(exp.name, f.replace('.yaml', ''), 'the name inside matches the file name');
      });
    }
    it('cnn-baseline is exactly the defaults', () => {
      assert.deepEqual(loadExperiment(path.join(experiments, 'cnn-baseline.yaml')).base, DEFAULT_RUN_SPEC);
    });
    it('quickstart stays small: at most 4 trials of at most 3 epochs on at most 10,000 images', () => {
      const exp = loadExperiment(path.join(experiments, 'quickstart.yaml'));
      assert.ok(exp.trials.length <= 4);
      for (const t of exp.trials) assert.ok(t.spec.train.epochs <= 3 && (t.spec.data.trainLimit ?? 60000) <= 10000);
    });
  });

  describe('loadExperiment (defaults per kind)', () => {
    it('gives an LSTM-128 for model: {kind: rnn}', () => {
      const exp = loadExperiment(writeYaml('rnn.yaml', 'model: {kind: rnn}\n'));
      assert.deepEqual(exp.base.model, { kind: 'rnn', cell: 'lstm', layers: 1, units: 128, bidirectional: false, dropout: 0 });
      assert.equal(exp.name, 'rnn', 'the name defaults to the file name');
    });
    it('fills a block written with only filters', () => {
      const exp = loadExperiment(writeYaml('b.yaml', 'model: {blocks: [{filters: 8}]}\n'));
      assert.deepEqual(exp.base.model.kind === 'cnn' && exp.base.model.blocks, [
        { filters: 8, kernelSize: 3, convs: 1, padding: 'same', batchNorm: false, pool: 2, dropout: 0, stride: 1 },
      ]);
    });
    it('switches on early stopping with its defaults from an empty mapping', () => {
      const exp = loadExperiment(writeYaml('es.yaml', 'train: {earlyStopping: {patience: 2}}\n'));
      assert.deepEqual(exp.base.train.earlyStopping, { monitor: 'val_loss', patience: 2, minDelta: 0 });
    });
  });

  describe('loadExperiment (validation rules)', () => {
    // [yaml, expected line in the message]
    const cases: [string, string, RegExp][] = [
      ['misspelt key with suggestion', 'train:\n  optimizer:\n    learnRate: 0.1\n', /x\.yaml:3:5: train\.optimizer\.learnRate: unknown key; did you mean learningRate\?/],
      ['key at the wrong level', 'train:\n  learnRate: 0.1\n', /x\.yaml:2:3: train\.learnRate: unknown key; did you mean optimizer\.learningRate\?/],
      ['unknown top-level key', 'modle: {kind: cnn}\n', /x\.yaml:1:1: modle: unknown key; did you mean model\?/],
      ['wrong type', 'train:\n  batchSize: big\n', /x\.yaml:2:14: train\.batchSize: must be an integer in \[1, 65536\], got "big"/],
      ['number as a quoted string', 'train:\n  optimizer: {learningRate: "0.01"}\n', /train\.optimizer\.learningRate: must be a number > 0, got "0\.01"/],
      ['negative learning rate', 'train:\n  optimizer: {learningRate: -1}\n', /x\.yaml:2:29: train\.optimizer\.learningRate: must be a number > 0, got -1/],
      ['fraction out of range', 'data: {validationFraction: 1.5}\n', /data\.validationFraction: must be a number in \(0, 1\), got 1\.5/],
      ['negative split seed', 'data: {splitSeed: -1}\n', /data\.splitSeed: must be an integer in \[0, 2147483647\], got -1/],
      ['trainLimit beyond MNIST', 'data: {trainLimit: 70000}\n', /data\.trainLimit: must be an integer in \[1, 60000\], got 70000/],
      ['bad enum', 'train: {optimizer: {name: adamw}}\n', /train\.optimizer\.name: must be one of adam, sgd, rmsprop, got "adamw"/],
      ['unknown model kind', 'model: {kind: transformer}\n', /x\.yaml:1:15: model\.kind: must be one of cnn, rnn, ensemble, got "transformer"/],
      ['field of another kind', 'model: {kind: rnn, blocks: []}\n', /model\.blocks: unknown key; valid keys here: kind, cell/],
      ['bad schedule field', 'train: {schedule: {kind: step, factor: 2}}\n', /train\.schedule\.factor: must be a number in \(0, 1\], got 2/],
      ['blocks that shrink the image away', 'model:\n  blocks: [{filters: 8, pool: 4}, {filters: 8, pool: 4}, {filters: 8, pool: 4}]\n', /model\.blocks\.2: the 28x28 image shrinks to 0x0 here/],
      ['stride 0', 'model:\n  blocks: [{filters: 8, stride: 0}]\n', /x\.yaml:2:33: model\.blocks\.0\.stride: must be an integer in \[1, 28\], got 0/],
      ['strides that shrink the image away', 'model:\n  blocks: [{filters: 8, stride: 4, pool: null}, {filters: 8, stride: 4, kernelSize: 5, padding: valid}]\n', /model\.blocks\.1: the 28x28 image shrinks to 0x0 here \(kernel 5x5, stride 4/],
      ['ema of 1', 'train: {ema: 1}\n', /train\.ema: must be a number in \(0, 1\), got 1/],
      ['replicas 0', 'train:\n  replicas: 0\n', /x\.yaml:2:13: train\.replicas: must be an integer in \[1, 16\], got 0/],
      ['ensemble with one member', 'model: {kind: ensemble, members: [{run: abc}]}\n', /model\.members: must have at least 2 items/],
      ['member with two sources', 'model: {kind: ensemble, members: [{run: a, trial: b}, {run: c}]}\n', /model\.members\.0: must be a mapping with exactly one of spec, run, trial/],
      ['grid not lists', 'grid:\n  train.epochs: 3\n', /x\.yaml:2:17: grid\.train\.epochs: must be a non-empty list of values, got 3/],
      ['misspelt grid key', 'grid:\n  train.optimizr.name: [sgd]\n', /x\.yaml:2:3: train\.optimizr: unknown key; did you mean optimizer\?/],
      ['bad grid value', 'grid:\n  train.epochs: [1, 0]\n', /x\.yaml:2:21: train\.epochs: must be an integer in \[1, 10000\], got 0/],
      ['bad distribution', 'random:\n  n: 2\n  params:\n    train.epochs: {normal: [1, 2]}\n', /x\.yaml:4:19: random\.params\.train\.epochs: must be one of \{uniform/],
      ['sampled value breaks a rule', 'random:\n  n: 3\n  params:\n    train.batchSize: {uniform: [10, 20]}\n', /x\.yaml:4:22: train\.batchSize: must be an integer/],
      ['negative seed', 'seeds: [1, -1]\n', /x\.yaml:1:12: seeds\.1: must be an integer in \[0, 2147483647\], got -1/],
      ['trial without a name', 'trials:\n  - model: {kind: rnn}\n', /trials\.0\.name: is required/],
      ['duplicate trial names', 'trials:\n  - name: a\n  - name: a\n', /trials\.1\.name: must be unique among trials, got "a"/],
      ['member naming no trial', 'trials:\n  - name: a\n  - name: e\n    model: {kind: ensemble, members: [{trial: a}, {trial: zz}]}\n', /trial "e": model\.members\.1\.trial: names no \(non-ensemble\) trial of this experiment, got "zz"; trials are: "a"/],
      ['YAML syntax error', 'train:\n  epochs: [1, 2\n', /x\.yaml:3:1: /],
      ['duplicate key', 'seed: 1\nseed: 2\n', /x\.yaml:2:1: Map keys must be unique/],
      ['not a mapping', '- a\n- b\n', /x\.yaml:1:1: an experiment file must be a mapping/],
    ];
    for (const [what, yaml, message] of cases) {
      it(`reports ${what}`, () => assert.match(problemsOf(yaml), message));
    }

    it('reports every problem of a file at once, one per line, in file order', () => {
      const msg = problemsOf('train:\n  batchSize: 0\n  epochs: -2\nmodel: {kind: rnn, units: 0}\n');
      assert.match(msg, /^\S*x\.yaml: 3 problems:\n {2}\S*x\.yaml:2:14: .*\n {2}\S*x\.yaml:3:11: .*\n {2}\S*x\.yaml:4:27: model\.units/);
    });
  });

  describe('loadExperiment (extends)', () => {
    it('deep-merges the parent, the child winning', () => {
      writeYaml('parent.yaml', 'train: {epochs: 3, batchSize: 32}\nmodel: {dense: [64]}\n');
      const exp = loadExperiment(writeYaml('child.yaml', 'extends: parent.yaml\ntrain: {epochs: 5}\n'));
      assert.equal(exp.base.train.epochs, 5);
      assert.equal(exp.base.train.batchSize, 32);
      assert.deepEqual(exp.base.model.kind === 'cnn' && exp.base.model.dense, [64]);
      assert.equal(exp.name, 'child');
    });
    it('does not carry fields of another model kind into the child', () => {
      writeYaml('p2.yaml', 'model: {dense: [64]}\n');
      const exp = loadExperiment(writeYaml('c2.yaml', 'extends: p2.yaml\nmodel: {kind: rnn}\n'));
      assert.equal(exp.base.model.kind, 'rnn');
    });
    it('points at the parent file for problems written there', () => {
      writeYaml('p3.yaml', 'train:\n  epochs: 0\n');
      assert.match(problemsOf('extends: p3.yaml\n', {}, 'c3.yaml'), /p3\.yaml:2:11: train\.epochs: must be an integer/);
    });
    it('detects a cycle', () => {
      writeYaml('cy1.yaml', 'extends: cy2.yaml\n');
      assert.match(problemsOf('extends: cy1.yaml\n', {}, 'cy2.yaml'), /extends: forms a cycle \(.*cy2\.yaml -> .*cy1\.yaml -> .*cy2\.yaml\)/);
    });
    it('reports a missing parent at its line', () => {
      assert.match(problemsOf('seed: 3\nextends: nope.yaml\n'), /x\.yaml:2:10: extends: no such file/);
    });
  });

  describe('loadExperiment (--set)', () => {
    it('applies overrides after the file, parsed as YAML scalars', () => {
      const file = writeYaml('s.yaml', 'train: {epochs: 5}\n');
      const exp = loadExperiment(file, { overrides: ['train.epochs=1', 'data.trainLimit=500', 'train.augment.enabled=true'] });
      assert.equal(exp.base.train.epochs, 1);
      assert.equal(exp.base.data.trainLimit, 500);
      assert.equal(exp.base.train.augment.enabled, true);
    });
    it('names the --set in its errors, with suggestions', () => {
      const msg = problemsOf('seed: 1\n', { overrides: ['train.epochs=many', 'train.batchSiz=8'] });
      assert.match(msg, /--set train\.epochs=many: train\.epochs: must be an integer in \[1, 10000\], got "many"/);
      assert.match(msg, /--set train\.batchSiz=8: train\.batchSiz: unknown key; did you mean batchSize\?/);
    });
    it('rejects a flag without =', () => {
      assert.throws(() => parseSetFlags(['train.epochs']), { name: 'UserError', message: /--set train\.epochs: expected key=value/ });
    });
  });
});
