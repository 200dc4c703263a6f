import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { bestRun, rankRuns, runFolderPath } from '../../src/tracking';
import { bestRun as catalogBest, storeCatalog } from '../../src/web/runs';
import { bestRun as reportBest, rankRuns as reportRanked } from '../../src/report/runs';
import { digits } from '../cli/commands/helpers';
import { evaluation, provenance, spec, summary, tempStore } from './fixtures';

describe('tracking/ranking', () => {
  /**
   * Three finished runs that the three old rules ranked differently: "early" had the best epoch
   * (best_val_accuracy 0.995) but its saved model scores 0.980; "tie-loss" and "tie-late" score the
   * same on validation, "tie-loss" with the lower loss.
   */
  function fixture() {
    const { store, file, dir } = tempStore();
    const runsDir = store.runsDir;
    const add = (name: string, val: number, loss: number, bestEpochAcc: number) => {
      const run = store.createRun({ experiment: 'e', name, trialHash: name, spec: spec(), seed: 1 });
      const folder = runFolderPath(runsDir, run.id);
      store.startRun(run.id, provenance(), folder);
      fs.mkdirSync(path.join(folder, 'model'), { recursive: true });
      fs.writeFileSync(path.join(folder, 'model', 'model.json'), '{}');
      store.finishRun(run.id, { summary: { ...summary(bestEpochAcc), bestValLoss: loss }, validation: evaluation(val, loss), test: evaluation(0.99) });
      return run.id;
    };
    const ids = { early: add('early', 0.98, 0.05, 0.995), tieLoss: add('tie-loss', 0.985, 0.04, 0.985), tieLate: add('tie-late', 0.985, 0.06, 0.985) };
    return { store, file, dir, runsDir, ids };
  }

  describe('bestRun', () => {
    it('is the highest validation accuracy of the saved model, ties to the lower validation loss', () => {
      const { store, ids } = fixture();
      assert.equal(bestRun(store.listRuns())?.id, ids.tieLoss);
      assert.deepEqual(rankRuns(store.listRuns()).map((r) => r.id), [ids.tieLoss, ids.tieLate, ids.early]);
      store.close();
    });
  });

  describe('one rule for every door', () => {
    it('digits best, the prediction catalog (serve --best) and the report name the same run', () => {
      const { store, file, runsDir, ids } = fixture();
      const fromCatalog = catalogBest(storeCatalog(store)).id;
      const runs = store.listRuns();
      store.close();
      assert.equal(reportBest(runs)?.id, ids.tieLoss, 'the report\'s starred run');
      assert.equal(reportRanked(runs)[0].id, ids.tieLoss, 'the report table\'s first row');
      const cli = digits(['best', '--db', file, '--runs-dir', runsDir, '--json']);
      assert.equal(cli.code, 0, cli.stderr);
      assert.equal(JSON.parse(cli.stdout).id, ids.tieLoss, 'digits best');
      assert.equal(fromCatalog, ids.tieLoss, 'serve --best / predict without --run');
    });
  });
});
