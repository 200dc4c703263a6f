/** `digits best`: the best finished run by a metric. */
import type { CommandModule } from 'yargs';
import { UserError } from '../../errors';
import { bestRun } from '../../tracking';
import { usingStore, withDbOption, type StoreFlags } from '../format/db';
import { renderTable } from '../format/table';
import { RUN_COLUMNS } from './runs';
import { jsonDocument } from '../format/json';

interface BestArgs extends StoreFlags {
  metric: string;
  experiment?: string[];
  where?: string;
  json?: boolean;
}

/** Metrics where lower is better; every other metric is maximised. */
const LOWER_IS_BETTER = /(loss|seconds|rss)/;

export const bestCommand: CommandModule<object, BestArgs> = {
  command: 'best',
  describe: 'Show the best finished run by a metric (accuracies highest, losses and times lowest)',
  builder: (y) =>
    withDbOption(y)
      .option('metric', { alias: 'm', type: 'string', default: 'val_accuracy', describe: 'Metric to rank by, e.g. test_accuracy, val_loss' })
      .option('experiment', { alias: 'e', type: 'string', array: true, describe: 'Only runs of these experiments' })
      .option('where', { alias: 'w', type: 'string', describe: 'Extra filter, as in `digits runs --where`' })
      .option('json', { type: 'boolean', describe: 'Print the run as JSON' }),
  handler: (args) =>
    usingStore(args, (store) => {
      const query = { experiment: args.experiment, status: ['finished' as const], where: args.where };
      // The default is the one ranking (tracking/ranking: validation accuracy, ties documented there);
      // another metric sorts by its column, ties to the earlier run.
      const best = args.metric === 'val_accuracy'
        ? bestRun(store.listRuns(query))
        : store.listRuns({ ...query, sort: `${LOWER_IS_BETTER.test(args.metric) ? '' : '-'}${args.metric},created_at`, limit: 1 })[0];
      const scope = args.experiment?.length ? ` in ${args.experiment.join(', ')}` : '';
      if (!best) throw new UserError(`no finished runs${scope}${args.where ? ` matching ${JSON.stringify(args.where)}` : ''}; \`digits runs\` lists what there is`);
      if (args.json) return void process.stdout.write(jsonDocument(best));
      process.stdout.write(renderTable(RUN_COLUMNS, [best]));
      process.stdout.write(`best by ${args.metric}${scope}: ${best.id} (\`digits show ${best.id}\`)\n`);
    }),
};
