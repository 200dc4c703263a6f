/** `digits export`: runs with their params and metrics as CSV or JSON Lines, for pandas, DuckDB, spreadsheets. */
import path from 'node:path';
import { writeFileAtomic } from '../../files';
import type { CommandModule } from 'yargs';
import { UserError } from '../../errors';
import { RUN_STATUSES, type RunStatus } from '../../tracking';
import { usingStore, withDbOption, type StoreFlags } from '../format/db';
import { runsCsv, runsJsonl } from '../format/export-rows';

interface ExportArgs extends StoreFlags {
  format: 'csv' | 'jsonl';
  experiment?: string[];
  status?: string[];
  where?: string;
  sort?: string;
  output?: string;
}

export const exportCommand: CommandModule<object, ExportArgs> = {
  command: 'export',
  describe: 'Export runs with their params and metrics as CSV or JSON Lines',
  builder: (y) =>
    withDbOption(y)
      .option('format', { alias: 'f', choices: ['csv', 'jsonl'] as const, demandOption: true, describe: 'csv: one column per field, metric, param.<key>, tag.<key>; jsonl: one run a line' })
      .option('experiment', { alias: 'e', type: 'string', array: true, describe: 'Only runs of these experiments' })
      .option('status', { type: 'string', array: true, choices: RUN_STATUSES, describe: 'Only runs with these statuses' })
      .option('where', { alias: 'w', type: 'string', describe: 'Filter, as for `digits runs`, e.g. "val_accuracy>0.99 and model.kind=cnn"' })
      .option('sort', { alias: 's', type: 'string', describe: 'Sort keys, - for descending (default: oldest first)' })
      .option('output', { alias: 'o', type: 'string', describe: 'Write to this file (default: standard output)' })
      .example('$0 export --format csv -e quickstart -o quickstart.csv', 'one experiment for a spreadsheet or pandas.read_csv')
      .example('$0 export --format jsonl --where "status=finished" > runs.jsonl', 'finished runs for pandas.read_json(lines=True) or DuckDB'),
  handler: (args) =>
    usingStore(args, (store) => {
      const runs = store.listRuns({ experiment: args.experiment, status: args.status as RunStatus[] | undefined, where: args.where, sort: args.sort ?? 'id' });
      const text = args.format === 'csv' ? runsCsv(runs) : runsJsonl(runs);
      if (!args.output) return void process.stdout.write(text);
      const file = path.resolve(args.output);
      try {
        writeFileAtomic(file, text); // no half file on a crash
      } catch (err) {
        const reason = (err as NodeJS.ErrnoException).code ?? String(err);
        throw new UserError(`cannot write --output ${JSON.stringify(args.output)} (${reason}); name a file in an existing, writable folder`);
      }
      process.stderr.write(`exported ${runs.length} run${runs.length === 1 ? '' : 's'} to ${file}\n`);
    }),
};
