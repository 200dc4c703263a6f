/** `digits train` builds its spec on the config path experiment files take: its flags are overrides. */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { trainTrial } from '../../../src/cli/commands/train';
import { loadExperiment, loadTrial } from '../../../src/config/load';
import { digits } from './helpers';

describe('cli/commands/train (config path)', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-train-config-'));
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const yaml = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };
  const userError = (fn: () => unknown): string => {
    try {
      fn();
    } catch (err) {
      assert.equal((err as Error).name, 'UserError', (err as Error).stack);
      return (err as Error).message;
    }
    return assert.fail('expected a UserError');
  };

  describe('trainTrial', () => {
    it('refuses --seed 3000000000 --epochs 20000 --batch-size 100000 as the same values in a YAML file are refused', () => {
      const flags = userError(() => trainTrial({ seed: 3000000000, epochs: 20000, batchSize: 100000 }));
      assert.match(flags, /--seed 3000000000: seed: must be an integer in \[0, 2147483647\], got 3000000000/);
      assert.match(flags, /--epochs 20000: train\.epochs: must be an integer in \[1, 10000\], got 20000/);
      assert.match(flags, /--batch-size 100000: train\.batchSize: must be an integer in \[1, 65536\], got 100000/);
      const file = userError(() => loadExperiment(yaml('big.yaml', 'seed: 3000000000\ntrain: {epochs: 20000, batchSize: 100000}\n')));
      for (const rule of ['seed: must be an integer in [0, 2147483647]', 'train.epochs: must be an integer in [1, 10000]', 'train.batchSize: must be an integer in [1, 65536]']) {
        assert.ok(file.includes(rule) && flags.includes(rule), rule);
      }
    });

    it('accepts --train-limit 10 as YAML accepts data.trainLimit: 10', () => {
      assert.equal(trainTrial({ trainLimit: 10 }).spec.data.trainLimit, 10);
      assert.equal(loadExperiment(yaml('ten.yaml', 'data: {trainLimit: 10}\n')).base.data.trainLimit, 10);
    });

    it('gives the hash a YAML file extending the preset with the same values gives', () => {
      const viaFlags = trainTrial({ preset: 'cnn-strong', epochs: 3, seed: 7, lr: 0.002, augment: false, replicas: 1 });
      const viaFile = loadExperiment(yaml('strong.yaml', 'extends: preset:cnn-strong\nseed: 7\ntrain: {epochs: 3, optimizer: {learningRate: 0.002}, augment: {enabled: false}}\n'));
      assert.equal(viaFlags.hash, viaFile.trials[0].hash);
      assert.deepEqual(viaFlags.spec, viaFile.trials[0].spec);
      assert.equal(trainTrial({}).hash, loadExperiment(path.join(__dirname, '../../../experiments/cnn-baseline.yaml')).trials[0].hash, 'no flags: the defaults');
    });

    it('takes --set like digits run, and refuses a key set both by --set and by its flag', () => {
      assert.equal(trainTrial({ set: ['train.optimizer.momentum=0.5'] }).spec.train.optimizer.momentum, 0.5);
      assert.match(userError(() => trainTrial({ epochs: 2, set: ['train.epochs=3'] })), /--epochs 2 and --set train\.epochs=3 both set train\.epochs; keep one of them/);
    });

    it('names what the flags changed, and keeps the preset-vs-model refusal', () => {
      assert.equal(trainTrial({ preset: 'cnn-tiny', epochs: 2, seed: 4 }).name, 'cnn-tiny epochs=2 seed=4');
      assert.match(userError(() => trainTrial({ preset: 'lstm-128', model: 'cnn' })), /--model cnn contradicts --preset lstm-128 \(a rnn preset\)/);
      assert.match(userError(() => trainTrial({ preset: 'cnn-huge' })), /preset "cnn-huge" does not exist; use one of: cnn-deep, cnn-default/);
    });

    it('takes an experiment file of one trial, with flags over it, and refuses a grid (that is digits run)', () => {
      const file = yaml('one.yaml', 'extends: preset:cnn-tiny\ntrain: {epochs: 3}\n');
      const trial = trainTrial({ experiment: file, seed: 2 });
      assert.equal(trial.spec.train.epochs, 3);
      assert.equal(trial.spec.seed, 2);
      assert.equal(trial.name, 'one seed=2');
      assert.match(userError(() => trainTrial({ experiment: path.join(__dirname, '../../../experiments/quickstart.yaml') })), /quickstart\.yaml: expands to 4 trials, and one run trains one; run them all with: digits run .*quickstart\.yaml/);
      assert.match(userError(() => trainTrial({ experiment: file, preset: 'cnn-tiny' })), /give either an experiment file or --preset, not both/);
    });

    it('trains a preset as loadTrial does (one resolver for the CLI, bench and notebooks)', () => {
      assert.deepEqual(trainTrial({ preset: 'gru-128' }).spec, loadTrial({ preset: 'gru-128' }).spec);
    });
  });

  describe('digits train', () => {
    it('exits 2 with the flags named, before looking for MNIST', () => {
      const r = digits(['train', '--seed', '3000000000', '--epochs', '20000', '--batch-size', '100000', '--db', path.join(dir, 'db.sqlite')], { DIGITS_DATA_DIR: path.join(dir, 'no-mnist') });
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /--epochs 20000: train\.epochs: must be an integer in \[1, 10000\], got 20000/);
      assert.doesNotMatch(r.stderr, /MNIST|at .*\.js/);
    });
  });
});
