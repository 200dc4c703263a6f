import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { liveLearningCurves, type DisplayLike } from '../../src/notebook/live';
import { SqliteStore } from '../../src/tracking/store';
import type { BatchProgress } from '../../src/train/options';
import { barMnist, recordTinyRun, tempDir } from './fixtures';

/** A display sink like tslab.newDisplay(): keeps everything shown, in order. */
class Shown implements DisplayLike {
  svgs: string[] = [];
  texts: string[] = [];
  svg(s: string) {
    this.svgs.push(s);
  }
  text(s: string) {
    this.texts.push(s);
  }
}

/** The epochs a learning-curves SVG plots: the x-axis tick labels. */
function epochTicks(svg: string): string[] {
  const axis = /aria-label="X-axis titled 'epoch'[^"]*"/.exec(svg);
  assert.ok(axis, 'an epoch axis');
  return axis[0].match(/\d+/g) ?? [];
}

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

    it('redraws the learning curves from the store after every epoch of a recorded run', async () => {
      const chart = new Shown();
      const progress = new Shown();
      let flush: () => Promise<void> = async () => undefined;
      await recordTinyRun(store, barMnist(), dir, (runId) => {
        const live = liveLearningCurves(store, runId, { chart, progress, progressEveryMs: 0 });
        flush = live.flush;
        return { onEpoch: live.onEpoch, onBatch: live.onBatch };
      });
      await flush();
      assert.equal(chart.svgs.length, 2, 'one chart per epoch');
      assert.match(chart.svgs[0], />Learning curves</);
      assert.match(chart.svgs[1], /tiny &lt;b&gt;cnn&lt;\/b&gt;/, 'the run name from the store, escaped');
      assert.ok(epochTicks(chart.svgs[1]).includes('2'), 'the second chart reaches epoch 2');
      assert.ok(!epochTicks(chart.svgs[0]).includes('2'), 'the first chart has only epoch 1');
      assert.match(progress.texts.at(-1)!, /^epoch 2 done in [\d.]+ s · loss [\d.]+ · validation loss [\d.]+ · validation accuracy [\d.]+%$/);
      assert.ok(progress.texts.some((t) => /^epoch 1\/2 · batch \d+\/\d+ · loss/.test(t)), 'batch progress lines');
    });

    it('throttles batch lines but always shows the last batch of an epoch', () => {
      const progress = new Shown();
      const live = liveLearningCurves(store, 'unused', { chart: new Shown(), progress, progressEveryMs: 60_000 });
      const batch = (b: number): BatchProgress => ({
        epoch: 1, epochs: 1, batch: b, batches: 5, images: b * 10, loss: 1, accuracy: 0.5, imagesPerSec: 100, seconds: 1,
      });
      for (let b = 1; b <= 5; b++) live.onBatch(batch(b));
      assert.deepEqual(progress.texts.map((t) => /batch (\d)/.exec(t)![1]), ['1', '5']);
    });

    it('rethrows a drawing failure from flush (a run that is not in the store)', async () => {
      const live = liveLearningCurves(store, 'no-such-run', { chart: new Shown() });
      live.onEpoch({ epoch: 1, loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, learningRate: 0.001, imagesPerSec: 1, seconds: 1 });
      await assert.rejects(live.flush(), /run no-such-run is not in the tracking store/);
    });
  });
});
