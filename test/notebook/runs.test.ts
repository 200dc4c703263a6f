import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { findMistakes } from '../../src/report/mistakes';
import { testPredictions } from '../../src/report/predictions';
import { mistakesGalleryHtml, runsTableHtml } from '../../src/notebook/runs';
import { SqliteStore } from '../../src/tracking/store';
import type { Run } from '../../src/tracking/types';
import { barMnist, recordTinyRun, tempDir } from './fixtures';

describe('notebook', () => {
  let dir: string;
  let store: SqliteStore;
  let run: Run;
  const mnist = barMnist(200, 50);
  before(async () => {
    dir = tempDir();
    store = new SqliteStore(path.join(dir, 'digits.sqlite'));
    const { result } = await recordTinyRun(store, mnist, dir);
    run = store.getRun(result.id)!;
  });
  after(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('runsTableHtml', () => {
    it('lists runs best validation accuracy first, escaping names, with the params that differ', () => {
      const worse: Run = { ...run, id: 'worse000000', name: 'worse', validation: { ...run.validation!, accuracy: -1 }, params: { ...run.params, seed: 9, 'train.batchSize': 99 } };
      const html = runsTableHtml([worse, run]);
      assert.ok(html.indexOf('tiny &lt;b&gt;cnn&lt;/b&gt;') < html.indexOf('>worse<'), 'best first');
      assert.ok(!html.includes('<b>cnn'), 'names are escaped');
      assert.match(html, /<th[^>]*>batchSize<\/th>/, 'a varied param gets a column');
      assert.ok(!/<th[^>]*>seed<\/th>/.test(html), 'seeds are not configs');
      assert.match(html, new RegExp(`${(run.validation!.accuracy * 100).toFixed(2)}%`));
    });
  });

  describe('testPredictions', () => {
    it('reads the run folder’s test probabilities and pairs them with the test images', () => {
      const predictions = testPredictions(run, mnist.test);
      assert.ok(predictions);
      assert.equal(predictions.labels.length, 50);
      assert.deepEqual([...predictions.labels], [...mnist.test.labels]);
      assert.equal(predictions.probs.length, 500);
      assert.equal(predictions.images!.length, 50 * 784);
    });

    it('returns null for a run without a folder', () => {
      assert.equal(testPredictions({ ...run, artifactDir: null }, mnist.test), null);
    });
  });

  describe('mistakesGalleryHtml', () => {
    it('shows each mistake with its picture, true and predicted class', () => {
      const predictions = testPredictions(run, mnist.test)!;
      const mistakes = findMistakes(predictions, 5);
      if (mistakes.length === 0) {
        assert.match(mistakesGalleryHtml(mistakes), /No mistakes/);
        return;
      }
      const html = mistakesGalleryHtml(mistakes);
      assert.equal((html.match(/<img src="data:image\/png;base64,/g) ?? []).length, mistakes.length);
      assert.match(html, new RegExp(`<b>${mistakes[0].label}</b> → <b>${mistakes[0].predicted}</b>`));
      assert.match(html, /^<style>/);
    });

    it('says so when there are no mistakes', () => {
      assert.match(mistakesGalleryHtml([]), /No mistakes/);
    });
  });
});
