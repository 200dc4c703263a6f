/** `digits compare <run> <run>...`: the params that differ and the metrics side by side. */
import type { CommandModule } from 'yargs';
import { UserError } from '../../errors';
import type { Run } from '../../tracking';
import { usingStore, withDbOption, type StoreFlags } from '../format/db';
import { renderTable } from '../format/table';
import { duration, fixed, paramText } from '../format/values';
import { jsonDocument } from '../format/json';

interface CompareArgs extends StoreFlags {
  runs: string[];
  json?: boolean;
}

const METRICS: [string, (r: Run) => string][] = [
  ['status', (r) => r.status],
  ['val_accuracy', (r) => fixed(r.validation?.accuracy)],
  ['test_accuracy', (r) => fixed(r.test?.accuracy)],
  ['best_val_accuracy', (r) => fixed(r.summary?.bestValAccuracy)],
  ['test_loss', (r) => fixed(r.test?.loss)],
  ['test_macro_f1', (r) => fixed(r.test?.macro.f1)],
  ['epochs', (r) => String(r.summary?.epochs ?? '-')],
  ['train_time', (r) => duration(r.summary?.trainSeconds)],
  ['images_per_sec', (r) => (r.summary ? String(Math.round(r.summary.imagesPerSec)) : '-')],
];

/** Param keys whose values are not the same in every run (a key missing somewhere counts as differing). */
export function differingParams(runs: Run[]): string[] {
  const keys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))];
  return keys.filter((k) => new Set(runs.map((r) => paramText(r.params[k]))).size > 1);
}

export const compareCommand: CommandModule<object, CompareArgs> = {
  command: 'compare <runs..>',
  describe: 'Compare runs: params that differ, then metrics side by side',
  builder: (y) =>
    withDbOption(y)
      .positional('runs', { type: 'string', array: true, demandOption: true, describe: 'Two or more run ids (unique prefixes work)' })
      .option('json', { type: 'boolean', describe: 'Print {params, metrics} as JSON' }),
  handler: (args) =>
    usingStore(args, (store) => {
      if (args.runs.length < 2) throw new UserError(`compare needs at least two runs, got ${args.runs.length}; e.g. digits compare 1a2b 3c4d`);
      const runs = args.runs.map((r) => store.getRun(store.resolveRunId(r)) as Run);
      const keys = differingParams(runs);
      if (args.json) {
        const params = Object.fromEntries(keys.map((k) => [k, runs.map((r) => r.params[k] ?? null)]));
        const metrics = Object.fromEntries(METRICS.map(([name, get]) => [name, runs.map(get)]));
        return void process.stdout.write(jsonDocument({ runs: runs.map((r) => r.id), params, metrics }));
      }
      const columns = [
        { header: '', value: (row: string[]) => row[0] },
        ...runs.map((r, i) => ({ header: r.id, value: (row: string[]) => row[i + 1], align: 'right' as const })),
      ];
      const nameRows = [['experiment', ...runs.map((r) => r.experiment)], ['name', ...runs.map((r) => r.name)]];
      const paramRows = keys.map((k) => [k, ...runs.map((r) => paramText(r.params[k]))]);
      const metricRows = METRICS.map(([name, get]) => [name, ...runs.map(get)]);
      let out = renderTable(columns, nameRows);
      out += paramRows.length ? `\nparams that differ:\n${renderTable(columns, paramRows)}` : '\nparams: all the same\n';
      out += `\nmetrics:\n${renderTable(columns, metricRows)}`;
      process.stdout.write(out);
    }),
};
