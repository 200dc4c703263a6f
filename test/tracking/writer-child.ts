/**
 * A separate process for the concurrency test: opens the store given on the command line and
 * writes `count` runs, each with its own small transactions, as a training worker would.
 */
import { defaultRunSpec } from '../../src/config/defaults';
import { openStore } from '../../src/tracking/open';
import { epochs, evaluation, summary } from './fixtures';

const [file, label, count] = process.argv.slice(2);
const store = openStore(file);
for (let i = 0; i < Number(count); i++) {
  const run = store.createRun({ experiment: label, name: `run ${i}`, trialHash: `${label}-${i}`, spec: defaultRunSpec(), seed: i });
  store.claimRun(run.id, { pid: process.pid, host: 'test' });
  for (let e = 1; e <= 5; e++) {
    store.logEpochs(run.id, epochs(1, e));
    store.heartbeat(run.id);
  }
  store.finishRun(run.id, { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.9) });
}
store.close();
