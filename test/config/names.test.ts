/** Trial names say what differs: grid, random and seed values, variants, and the --set overrides that changed the file. */
import { strict as assert } from 'node:assert';
import path from 'node:path';
import { loadExperiment } from '../../src/config/load';

const EXPERIMENTS = path.join(__dirname, '..', '..', 'experiments');
const load = (file: string, overrides: string[] = []) => loadExperiment(path.join(EXPERIMENTS, file), { overrides });

describe('config/expand (trial names)', () => {
  describe('expandTrials', () => {
    it('names a run changed with --set differently from the unchanged file\'s trial', () => {
      const [plain] = load('cnn-baseline.yaml').trials;
      const [changed] = load('cnn-baseline.yaml', ['train.epochs=3']).trials;
      assert.equal(plain.name, 'cnn-baseline');
      assert.equal(changed.name, 'cnn-baseline epochs=3');
      assert.notEqual(changed.hash, plain.hash);
      assert.deepEqual(load('quickstart.yaml', ['train.epochs=3', 'model.dense=[64]']).trials.map((t) => t.name), [
        'lr=0.001 filters=16 epochs=3 dense=[64]', 'lr=0.001 filters=32 epochs=3 dense=[64]', 'lr=0.003 filters=16 epochs=3 dense=[64]', 'lr=0.003 filters=32 epochs=3 dense=[64]',
      ]);
    });

    it('keeps the name (and hash) when --set writes the value the file already has', () => {
      const plain = load('cnn-grid.yaml').trials;
      const same = load('cnn-grid.yaml', ['train.epochs=5', 'train.optimizer.name=adam']).trials;
      assert.deepEqual(same.map((t) => [t.name, t.hash]), plain.map((t) => [t.name, t.hash]));
    });

    it('keeps ensemble members linked to the renamed trials', () => {
      const trials = load('ensemble.yaml', ['train.epochs=1']).trials;
      assert.deepEqual(trials.map((t) => t.name), ['cnn epochs=1', 'lstm epochs=1', 'average epochs=1']);
      const average = trials[2].spec.model;
      assert.ok(average.kind === 'ensemble');
      assert.deepEqual(average.members.map((m) => 'trial' in m && m.trial), ['cnn epochs=1', 'lstm epochs=1']);
    });
  });
});
