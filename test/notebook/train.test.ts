import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { selectBackend } from '../../src/engine';
import { isUserError } from '../../src/errors';
import { loadTrial } from '../../src/config';
import { defaultRunSpec } from '../../src/config';
import { VEGA_LITE_MIME, type MimeBundle } from '../../src/notebook/bundle';
import { newOutput } from '../../src/notebook/display';
import { notebookSettings } from '../../src/notebook/settings';
import { specTrial, trainSpec } from '../../src/notebook/train';
import { SqliteStore } from '../../src/tracking/store';
import { barMnist, tempDir, tinySpec } from './fixtures';

const userError = (pattern: RegExp) => (err: unknown) => isUserError(err) && pattern.test((err as Error).message);

describe('notebook', () => {
  describe('specTrial', () => {
    it('fills an object of overrides with the defaults, then applies set strings last', () => {
      const { experiment, trial } = specTrial({ train: { epochs: 3 } }, ['train.epochs=1', 'seed=7']);
      assert.equal(experiment, 'notebook');
      assert.equal(trial.spec.train.epochs, 1);
      assert.equal(trial.spec.seed, 7);
      assert.equal(trial.spec.train.batchSize, defaultRunSpec().train.batchSize);
    });

    it('takes a preset by name with the same spec as the preset applied to the defaults', () => {
      const { trial } = specTrial('cnn-strong', { 'train.epochs': 1 });
      const expected = loadTrial({ preset: 'cnn-strong' }).spec;
      assert.deepEqual(trial.spec.model, expected.model);
      assert.equal(trial.spec.train.epochs, 1);
    });

    it('reads an experiment file with its overrides', () => {
      const dir = tempDir();
      try {
        const file = path.join(dir, 'one.yaml');
        fs.writeFileSync(file, 'name: one\ntrain:\n  epochs: 4\n');
        const { experiment, trial } = specTrial(file, ['train.epochs=2']);
        assert.equal(experiment, 'one');
        assert.equal(trial.spec.train.epochs, 2);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses a grid, naming runExperiment', () => {
      assert.throws(() => specTrial({ grid: { seed: [1, 2] } }), userError(/expands to 2 trials .*use runExperiment/));
    });

    it('refuses a name that is neither a file nor a preset, listing the presets', () => {
      assert.throws(() => specTrial('cnn-huge'), userError(/"cnn-huge" is neither an experiment file \(\.yaml\) nor a preset; presets: .*cnn-strong/));
    });

    it('reports a bad value as the config module does', () => {
      assert.throws(() => specTrial({ train: { epochs: 'many' } }), userError(/train\.epochs/));
    });
  });

  describe('trainSpec', function () {
    this.timeout(120_000);
    let dir: string;
    before(async () => {
      await selectBackend();
    });
    beforeEach(() => {
      dir = tempDir();
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('trains and records the run in the store with its folder, drawing the live curve', async () => {
      const settings = { ...notebookSettings({ DIGITS_DB: path.join(dir, 'digits.sqlite') }), runsDir: dir };
      const charts: MimeBundle['data'][] = [];
      const tiny = tinySpec(200);
      const run = await trainSpec(
        { model: tiny.model, data: { trainLimit: 200 }, train: { batchSize: 20 } },
        { set: ['train.epochs=1'], name: 'tiny one-call', settings, mnist: barMnist(), outputs: { chart: newOutput((m) => charts.push(m.data)) } },
      );
      assert.equal(run.status, 'finished');
      assert.equal(run.name, 'tiny one-call');
      assert.equal(run.experiment, 'notebook');
      assert.equal(run.summary?.epochs, 1);
      const store = new SqliteStore(settings.dbFile);
      try {
        assert.equal(store.getRun(run.id)?.status, 'finished');
        assert.equal(store.history(run.id).length, 1);
      } finally {
        store.close();
      }
      assert.ok(fs.existsSync(path.join(dir, run.id, 'config.json')));
      assert.ok(charts.length >= 1 && charts.every((c) => c[VEGA_LITE_MIME] && c['image/png']));
    });

    it('stops after the current batch on the kernel’s interrupt (SIGINT) and records the run interrupted', async () => {
      const settings = { ...notebookSettings({ DIGITS_DB: path.join(dir, 'digits.sqlite') }), runsDir: dir };
      const tiny = tinySpec(200);
      let interrupted = false;
      const chart = newOutput(() => {
        if (interrupted) return;
        interrupted = true;
        process.emit('SIGINT'); // what Jupyter's stop button sends the kernel
      });
      const run = await trainSpec(
        { model: tiny.model, data: { trainLimit: 200 }, train: { batchSize: 20, epochs: 50 } },
        { settings, mnist: barMnist(), outputs: { chart }, live: { chartEveryMs: 0 } },
      );
      assert.ok(interrupted);
      assert.equal(run.status, 'interrupted');
      assert.ok((run.summary?.epochs ?? 0) < 50);
    });
  });
});
