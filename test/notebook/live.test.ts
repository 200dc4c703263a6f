import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { VEGA_LITE_MIME, type MimeBundle } from '../../src/notebook/bundle';
import { newOutput, type DisplaySink } from '../../src/notebook/display';
import { liveLearningCurves } from '../../src/notebook/live';
import { SqliteStore } from '../../src/tracking/store';
import type { BatchProgress } from '../../src/train/options';
import { barMnist, recordTinyRun, tempDir } from './fixtures';

/** An output that keeps every bundle it was shown, in order. */
function shown(): { output: ReturnType<typeof newOutput>; bundles: MimeBundle['data'][] } {
  const bundles: MimeBundle['data'][] = [];
  const sink: DisplaySink = (message) => bundles.push(message.data);
  return { output: newOutput(sink), bundles };
}

type Values = { split: string; epoch: number }[];
const values = (bundle: MimeBundle['data']) => (bundle[VEGA_LITE_MIME] as { data: { values: Values } }).data.values;

const batch = (b: number, epoch = 1): BatchProgress => ({
  epoch, epochs: 2, batch: b, batches: 5, images: b * 10, loss: 1, accuracy: 0.5, imagesPerSec: 100, seconds: 1,
});

const step = (n: number) => ({ step: n, epoch: n / 5, loss: 1 / n, accuracy: 0.1 * n });

describe('notebook', () => {
  describe('liveLearningCurves', () => {
    let dir: string;
    let store: SqliteStore;
    beforeEach(() => {
      dir = tempDir();
      store = new SqliteStore(path.join(dir, 'digits.sqlite'));
    });
    afterEach(() => {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('draws the curve during the first epoch of a recorded run, then after every epoch', async () => {
      const chart = shown();
      const progress = shown();
      let live: ReturnType<typeof liveLearningCurves> | null = null;
      await recordTinyRun(store, barMnist(), dir, () => {
        live = liveLearningCurves({ title: 'tiny', epochs: 2, chart: chart.output, progress: progress.output, chartEveryMs: 0, progressEveryMs: 0 });
        return { onStep: live.onStep, onBatch: live.onBatch, onEpoch: live.onEpoch };
      });
      await live!.flush();
      const first = values(chart.bundles[0]);
      assert.ok(first.length > 0 && first.every((v) => v.split === 'train' && v.epoch < 1), 'the first chart: training stretches inside epoch 1, drawn before its validation');
      const last = values(chart.bundles.at(-1)!);
      assert.deepEqual([...new Set(last.filter((v) => v.split === 'validation').map((v) => v.epoch))], [1, 2]);
      assert.ok(chart.bundles.every((b) => b['image/png']), 'every redraw has its PNG');
      const lines = progress.bundles.map((b) => String(b['text/plain']));
      assert.match(lines.at(-1)!, /^epoch 2 done in [\d.]+ s · loss [\d.]+ · validation loss [\d.]+ · validation accuracy [\d.]+%$/);
      assert.ok(lines.some((t) => /^epoch 1\/2 · batch \d+\/\d+ · loss/.test(t)), 'batch progress lines');
    });

    it('throttles batch lines but always shows the last batch of an epoch', () => {
      const progress = shown();
      const live = liveLearningCurves({ title: 't', epochs: 2, chart: shown().output, progress: progress.output, progressEveryMs: 60_000 });
      for (let b = 1; b <= 5; b++) live.onBatch(batch(b));
      assert.deepEqual(progress.bundles.map((t) => /batch (\d)/.exec(String(t['text/plain']))![1]), ['1', '5']);
    });

    it('collapses redraws asked for while one is drawing, and flush draws the newest points', async () => {
      const chart = shown();
      const live = liveLearningCurves({ title: 't', epochs: 2, chart: chart.output, chartEveryMs: 0 });
      for (let b = 1; b <= 5; b++) live.onStep(step(b));
      await live.flush();
      assert.ok(live.draws() <= 2, `${live.draws()} draws for 5 quick batches`);
      assert.equal(values(chart.bundles.at(-1)!).length, 2 * 5, 'the last chart has all five stretches (loss and accuracy rows)');
    });

    it('rethrows a drawing failure from flush', async () => {
      const failing = newOutput(() => {
        throw new Error('display gone');
      });
      const live = liveLearningCurves({ title: 't', epochs: 2, chart: failing });
      live.onStep(step(5));
      await assert.rejects(live.flush(), /display gone/);
    });
  });
});
