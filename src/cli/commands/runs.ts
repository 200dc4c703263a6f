/** `digits runs`: list tracked runs as an aligned table (or JSON), optionally grouped over seeds. */
import type { CommandModule } from 'yargs';
import { groupBySeed, type SeedGroup, type Stat } from '../../tracking';
import { RUN_STATUSES } from '../../tracking';
import type { Run, RunStatus } from '../../tracking';
import { usingStore, withDbOption, type StoreFlags } from '../format/db';
import { wholeNumberFlag } from '../format/numbers';
import { renderTable, statusColour, type Column } from '../format/table';
import { duration, fixed, when } from '../format/values';
import { jsonDocument } from '../format/json';

interface RunsArgs extends StoreFlags {
  experiment?: string[];
  status?: string[];
  where?: string;
  sort?: string;
  limit?: string;
  all?: boolean;
  json?: boolean;
  groupSeeds?: boolean;
}

/** The largest --limit: more rows than a terminal shows; --all lifts it. */
const MAX_LIMIT = 100_000;

export const RUN_COLUMNS: Column<Run>[] = [
  { header: 'id', value: (r) => r.id },
  { header: 'experiment', value: (r) => r.experiment },
  { header: 'name', value: (r) => r.name },
  { header: 'status', value: (r) => r.status, colour: (_text, r, c) => statusColour(r.status, c) },
  { header: 'val_acc', value: (r) => fixed(r.validation?.accuracy), align: 'right' },
  { header: 'test_acc', value: (r) => fixed(r.test?.accuracy), align: 'right' },
  { header: 'epochs', value: (r) => String(r.summary?.epochs ?? '-'), align: 'right' },
  { header: 'time', value: (r) => duration(r.summary?.trainSeconds), align: 'right' },
  { header: 'created', value: (r) => when(r.createdAt) },
];

const meanStd = (s: Stat | null, digits = 4) => (s ? `${s.mean.toFixed(digits)} ± ${s.std.toFixed(digits)}` : '-');

const GROUP_COLUMNS: Column<SeedGroup>[] = [
  { header: 'experiment', value: (g) => g.experiment },
  { header: 'name', value: (g) => g.name },
  { header: 'runs', value: (g) => String(g.runs.length), align: 'right' },
  { header: 'seeds', value: (g) => g.seeds.join(',') },
  { header: 'val_acc (mean ± std)', value: (g) => meanStd(g.valAccuracy), align: 'right' },
  { header: 'test_acc (mean ± std)', value: (g) => meanStd(g.testAccuracy), align: 'right' },
  { header: 'time (mean)', value: (g) => duration(g.trainSeconds?.mean), align: 'right' },
];

export const runsCommand: CommandModule<object, RunsArgs> = {
  command: 'runs',
  describe: 'List tracked runs (newest first) as a table or JSON',
  builder: (y) =>
    withDbOption(y)
      .option('experiment', { alias: 'e', type: 'string', array: true, describe: 'Only runs of these experiments' })
      .option('status', { type: 'string', array: true, choices: RUN_STATUSES, describe: 'Only runs with these statuses' })
      .option('where', { alias: 'w', type: 'string', describe: 'Filter, e.g. "val_accuracy>0.99 and model.kind=cnn"' })
      .option('sort', { alias: 's', type: 'string', describe: 'Sort keys, - for descending, e.g. "-test_accuracy" (default: newest first)' })
      .option('limit', { alias: 'n', type: 'string', describe: `At most this many runs, 1 to ${MAX_LIMIT.toLocaleString('en-US')} (default 50)` })
      .option('all', { type: 'boolean', describe: 'Every run (no --limit)' })
      .conflicts('all', 'limit')
      .option('group-seeds', { type: 'boolean', describe: 'One line per trial: mean ± std over runs that differ only in seed' })
      .option('json', { type: 'boolean', describe: 'Print the runs as JSON instead of a table' })
      .example('$0 runs --experiment cnn-grid --sort -test_accuracy --limit 5', 'the five best runs of cnn-grid')
      .example('$0 runs --where "model.kind=rnn and status=finished" --group-seeds', 'finished RNNs, seeds pooled'),
  handler: (args) =>
    usingStore(args, (store) => {
      const limit = args.all ? undefined : wholeNumberFlag('--limit', args.limit ?? '50', 1, MAX_LIMIT, '--limit 20 (or --all for every run)');
      const runs = store.listRuns({
        experiment: args.experiment,
        status: args.status as RunStatus[] | undefined,
        where: args.where,
        sort: args.sort ?? '-created_at',
        limit: args.groupSeeds ? undefined : limit,
      });
      if (args.groupSeeds) {
        const groups = groupBySeed(runs).slice(0, limit);
        if (args.json) return void process.stdout.write(jsonDocument({ groups: groups.map(groupJson) }));
        return void process.stdout.write(groups.length ? renderTable(GROUP_COLUMNS, groups) : 'no runs match\n');
      }
      if (args.json) return void process.stdout.write(jsonDocument({ runs }));
      if (runs.length === 0) return void process.stdout.write('no runs match\n');
      process.stdout.write(renderTable(RUN_COLUMNS, runs));
      if (runs.length === limit) process.stdout.write(`(first ${limit}; --all shows every run)\n`);
    }),
};

function groupJson(g: SeedGroup) {
  return {
    experiment: g.experiment, name: g.name, runs: g.runs.map((r) => r.id), seeds: g.seeds,
    valAccuracy: g.valAccuracy, testAccuracy: g.testAccuracy, trainSeconds: g.trainSeconds,
  };
}
