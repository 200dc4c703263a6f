/** Puts fixture runs into a real SQLite tracking store (and run folders), as training would. */
import path from 'node:path';
import { openStore } from '../../src/tracking/open';
import type { Run } from '../../src/tracking/types';
import { writeRunConfig, writeRunEvaluation } from '../../src/tracking';
import type { ReportData, TestPredictions } from '../../src/report/types';

/**
 * Records every run of `data` in a new store at `dbFile` (finished runs finished, the others
 * failed), with artifact folders under `runsDir`. `predictions` go to the folder of the run at
 * `bestIndex` so the report's gallery can read them. Returns the stored runs.
 */
export function seedStore(dbFile: string, runsDir: string, data: ReportData, predictions?: { index: number; test: TestPredictions }): Run[] {
  const store = openStore(dbFile);
  try {
    return data.runs.map((fixture, i) => {
      const run = store.createRun({ experiment: fixture.experiment, name: fixture.name, trialHash: fixture.trialHash, spec: fixture.spec, seed: fixture.seed });
      const dir = path.join(runsDir, run.id);
      writeRunConfig(dir, fixture.spec);
      store.startRun(run.id, fixture.provenance!, dir);
      store.logEpochs(run.id, data.histories.get(fixture.id) ?? []);
      if (fixture.status === 'finished') {
        store.finishRun(run.id, { summary: fixture.summary!, validation: fixture.validation!, test: fixture.test! });
        if (predictions?.index === i) {
          writeRunEvaluation(
            dir,
            {
              status: 'finished',
              history: data.histories.get(fixture.id) ?? [],
              summary: fixture.summary!,
              validation: fixture.validation!,
              test: fixture.test!,
              testProbs: predictions.test.probs,
              validationProbs: null,
            },
            { validation: new Uint8Array(0), test: predictions.test.labels },
          );
        }
      } else {
        store.endRun(run.id, 'failed', fixture.error ?? 'failed');
      }
      return store.getRun(run.id)!;
    });
  } finally {
    store.close();
  }
}
