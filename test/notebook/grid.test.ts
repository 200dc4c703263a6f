import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { isUserError } from '../../src/errors';
import { VEGA_LITE_MIME, type MimeBundle } from '../../src/notebook/bundle';
import { newOutput } from '../../src/notebook/display';
import { runExperiment } from '../../src/notebook/grid';
import { notebookSettings } from '../../src/notebook/settings';
import { tempDir } from './fixtures';

const MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');

/** An output that keeps every bundle it was shown. */
function shown() {
  const bundles: MimeBundle['data'][] = [];
  return { output: newOutput((m) => bundles.push(m.data)), bundles };
}

describe('notebook', () => {
  describe('runExperiment', function () {
    this.timeout(300_000);
    let dir: string;
    let file: string;
    beforeEach(() => {
      dir = tempDir();
      file = path.join(dir, 'tiny.yaml');
      fs.writeFileSync(
        file,
        'name: tiny-grid\ndata:\n  trainLimit: 200\n  testLimit: 100\nmodel:\n  kind: cnn\n  blocks: [{ filters: 2, kernelSize: 3, pool: 4 }]\n  dense: []\n' +
          'train:\n  epochs: 1\n  batchSize: 20\nseeds: [1, 2]\n',
      );
    });
    afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

    it('trains every trial in worker processes into the store, with status lines and the grid’s curves, and resumes on a second call', async () => {
      const settings = { ...notebookSettings({ DIGITS_DB: path.join(dir, 'digits.sqlite'), DIGITS_DATA_DIR: MNIST }), runsDir: dir };
      const chart = shown();
      const progress = shown();
      const first = await runExperiment(file, { settings, workers: 1, outputs: { chart: chart.output, progress: progress.output } });
      assert.equal(first.result.results.length, 2);
      assert.deepEqual(first.runs.map((r) => [r.experiment, r.status]), [['tiny-grid', 'finished'], ['tiny-grid', 'finished']]);
      const lines = progress.bundles.map((b) => String(b['text/plain']));
      assert.ok(lines.some((l) => /^0 of 2 trials done, 0 failed\nworker 1: .+ · epoch 1\/1 · batch \d+\/\d+$/.test(l)), lines.join('\n---\n'));
      assert.equal(lines.at(-1), '2 of 2 trials done, 0 failed');
      const last = chart.bundles.at(-1)!;
      assert.ok(last['image/png']);
      const values = (last[VEGA_LITE_MIME] as { data: { values: { run: string; split: string }[] } }).data.values;
      assert.deepEqual([...new Set(values.map((v) => v.run))].sort(), first.runs.map((r) => r.name).sort());
      assert.ok(values.some((v) => v.split === 'train') && values.some((v) => v.split === 'validation'));

      const again = await runExperiment(file, { settings, outputs: false });
      assert.equal(again.result.results.length, 0, 'finished trials are skipped');
      assert.equal(again.result.alreadyFinished, 2);
      assert.deepEqual(again.runs.map((r) => r.id), first.runs.map((r) => r.id));
    });

    it('reports a mistake in the file as the CLI does, before starting any worker', async () => {
      fs.writeFileSync(file, 'name: bad\ntrain:\n  epochs: zero\n');
      await assert.rejects(runExperiment(file, { outputs: false }), (err) => isUserError(err) && /train\.epochs/.test((err as Error).message));
    });
  });
});
