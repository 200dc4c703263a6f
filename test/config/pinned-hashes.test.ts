/**
 * The trial hashes of every shipped experiment and preset, as computed before the config path was
 * unified (commit 97bb455). A run's hash is its identity: if one of these changes, stored runs no
 * longer resume or match, so a change here is a bug in the change, not in this test.
 */
import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { trialHash } from '../../src/config/hash';
import { loadExperiment } from '../../src/config/load';
import { loadTrial } from '../../src/config/load';
import { memberSpec } from '../../bench/member-spec';

const EXPERIMENTS = path.join(__dirname, '..', '..', 'experiments');

const FILES: Record<string, [string, string][]> = {
  'cnn-baseline.yaml': [['cnn-baseline', 'c9b2280721564860']],
  'cnn-grid.yaml': [
    ['lr=0.001 batch=64 seed=1', '9122ed4ce7384cbb'],
    ['lr=0.001 batch=64 seed=2', 'ad3e793dbeae69e7'],
    ['lr=0.001 batch=64 seed=3', '15051bb513078fea'],
    ['lr=0.001 batch=128 seed=1', '4bfcc4fafeb3b831'],
    ['lr=0.001 batch=128 seed=2', '18fbf1d9fe18823c'],
    ['lr=0.001 batch=128 seed=3', '175ee6cb56d159d5'],
    ['lr=0.003 batch=64 seed=1', '7d9b7c5e6bc978eb'],
    ['lr=0.003 batch=64 seed=2', '4d3216bf61bc10b5'],
    ['lr=0.003 batch=64 seed=3', '086d18ad3622168a'],
    ['lr=0.003 batch=128 seed=1', 'a86da19bf0af952b'],
    ['lr=0.003 batch=128 seed=2', '56543ceaa44393c7'],
    ['lr=0.003 batch=128 seed=3', '5e451fa598d3d2fd'],
  ],
  'ensemble.yaml': [['cnn', '9122ed4ce7384cbb'], ['lstm', '2d11bfb961f3ad8f'], ['average', 'e21020f570e65436']],
  'quickstart.yaml': [
    ['lr=0.001 filters=16', '1031b2e0a1436f7d'],
    ['lr=0.001 filters=32', 'b667e0688bf80dc2'],
    ['lr=0.003 filters=16', '87e74e12821b4c97'],
    ['lr=0.003 filters=32', 'f68c35f55406c161'],
  ],
  'rnn-gru.yaml': [['rnn-gru', '10e446c230dc8ef8']],
  'rnn-lstm.yaml': [['rnn-lstm', '2d11bfb961f3ad8f']],
};

const PRESETS: Record<string, string> = {
  'cnn-default': 'a883758fdb04185b',
  'cnn-strong': '5cc94c8b57fcd508',
  'cnn-deep': '811243d6add828fc',
  'cnn-strided': '9563ca21963550a5',
  'cnn-strided-3': 'd83ad0addfdf13b3',
  'lstm-128': 'bceffc4a8df1bcc4',
  'gru-128': '144b977538680b5a',
  'cnn-tiny': '7a1cf3e32acfc738',
};

/** The hash of a preset on its own (seed 1, nothing else changed). */
const presetHash = (name: string) => loadTrial({ preset: name }).hash;

describe('config (pinned trial hashes)', () => {
  it('keeps the hash and name of every trial of every shipped experiment', () => {
    const shipped = fs.readdirSync(EXPERIMENTS).filter((f) => f.endsWith('.yaml')).sort();
    assert.deepEqual(shipped, Object.keys(FILES).sort(), 'a new shipped experiment: pin its hashes here');
    for (const [file, trials] of Object.entries(FILES)) {
      const loaded = loadExperiment(path.join(EXPERIMENTS, file)).trials.map((t) => [t.name, t.hash]);
      assert.deepEqual(loaded, trials, file);
    }
  });

  it('keeps the hash of every preset', () => {
    for (const [name, hash] of Object.entries(PRESETS)) {
      assert.equal(presetHash(name), hash, name);
      assert.equal(trialHash(loadTrial({ preset: name }).spec), hash, `${name}: the trial's hash is its spec's`);
    }
  });

  it("keeps the hashes of bench:accuracy's members (seeds, one-thread members, --epochs/--train-limit)", () => {
    const strided = [1, 2, 3, 4, 5].map((seed) => trialHash(memberSpec({ preset: 'cnn-strided', seed, replicas: seed === 1 ? undefined : 1 })));
    assert.deepEqual(strided, ['9563ca21963550a5', '4b5ebf5d705a5806', '0785d8566f77c37e', 'ac13f83558f3ddaa', '15195e410bb76b0c']);
    assert.equal(trialHash(memberSpec({ preset: 'cnn-default', seed: 1 }, { epochs: 1, trainLimit: 5000 })), 'eb861006a8473323');
  });
});
