/** `digits rerun`: trains a recorded run again, as a new run with the same resolved config and seed. */
import type { CommandModule } from 'yargs';
import type { Trial } from '../../config';
import { openStoreForReading, writableStorePaths } from '../format/db';
import { formatGridSummary, gridExitCode, runGridWithView } from '../grid';
import { workerCount, withGridOptions, type GridFlags } from './run';

interface RerunArgs extends GridFlags {
  run: string;
}

export const rerunCommand: CommandModule<object, RerunArgs> = {
  command: 'rerun <run>',
  describe: 'Train a recorded run again: same resolved config and seed, a new run tagged rerun_of=<id>',
  builder: (y) => withGridOptions(y.positional('run', { type: 'string', demandOption: true, describe: 'Run id or a unique prefix' })),
  handler: async (args) => {
    const { dbFile, runsDir } = writableStorePaths(args);
    const store = openStoreForReading(args);
    let trial: Trial;
    let id: string;
    try {
      id = store.resolveRunId(args.run);
      const run = store.getRun(id);
      if (!run) throw new Error(`run ${id} vanished`);
      trial = { experiment: run.experiment, name: run.name, spec: run.spec, hash: run.trialHash, overrides: {} };
    } finally {
      store.close();
    }
    const result = await runGridWithView({
      experiment: trial.experiment, trials: [trial], dbFile, runsDir, dataDir: args.dataDir,
      workers: workerCount(args.workers ?? 1), fresh: true, tags: { rerun_of: id },
    });
    process.stdout.write(formatGridSummary(result));
    const done = result.results.find((r) => r.status === 'finished');
    if (done) process.stdout.write(`rerun of ${id}: run ${done.runId}, val ${done.valAccuracy?.toFixed(4)} test ${done.testAccuracy?.toFixed(4)}\n`);
    process.exitCode = gridExitCode(result);
  },
};
