/** `digits report`: writes one self-contained HTML report of experiments or runs and prints its path. */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { DEFAULT_MAX_CURVES, safeFileName, writeReport } from '../../report';
import { PROJECT_ROOT, type RunQuery } from '../../tracking';
import { UserError } from '../../errors';
import { usingStore, withDbOption, type StoreFlags } from '../format/db';
import { predictionsLoader } from '../report-predictions';

interface ReportArgs extends StoreFlags {
  experiment?: string[];
  runs?: string[];
  output?: string;
  title?: string;
  maxCurves?: number;
  dataDir?: string;
}

/** reports/<experiments>.html in the project folder, named after what the report shows. */
export function defaultReportPath(experiments: string[] | undefined, runIds: string[] | undefined): string {
  let name = 'all-runs';
  if (experiments?.length) name = experiments.join('+');
  else if (runIds?.length) name = `runs-${runIds[0].slice(0, 8)}${runIds.length > 1 ? `-and-${runIds.length - 1}-more` : ''}`;
  return path.join(PROJECT_ROOT, 'reports', safeFileName(name, '.html'));
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report [experiment..]',
  describe: 'Write a self-contained HTML report (runs table, charts, mistakes) and print its path',
  builder: (y) =>
    withDbOption(y)
      .positional('experiment', { type: 'string', array: true, describe: 'Experiments to report (default: every run)' })
      .option('runs', { type: 'string', array: true, describe: 'Only these runs (ids or unique id prefixes)' })
      .option('output', { alias: 'o', type: 'string', describe: 'HTML file to write (default: reports/<experiment>.html in the project)' })
      .option('title', { type: 'string', describe: 'Page heading (default: "digit-lab report · <experiments>")' })
      .option('max-curves', { type: 'number', describe: `Learning curves of at most this many runs, the best by validation accuracy (default ${DEFAULT_MAX_CURVES})` })
      .option('data-dir', { type: 'string', describe: 'MNIST folder for the mistakes gallery (default: $DIGITS_DATA_DIR, else the cache)' })
      .example('$0 report cnn-grid', 'writes reports/cnn-grid.html')
      .example('$0 report --runs 3f9c 7a21 -o reports/pair.html', 'two runs side by side'),
  handler: (args) =>
    usingStore(args, async (store) => {
      const ids = args.runs?.length ? args.runs.map((id) => store.resolveRunId(id)) : undefined;
      const experiments = args.experiment?.length ? args.experiment : undefined;
      const query: RunQuery = { experiment: experiments, ids };
      const out = args.output ? path.resolve(args.output) : defaultReportPath(experiments, ids);
      if (args.maxCurves !== undefined && !(Number.isInteger(args.maxCurves) && args.maxCurves >= 1)) {
        throw new UserError(`--max-curves must be a whole number of runs, at least 1; got ${JSON.stringify(args.maxCurves)}`);
      }
      const written = await writeReport(store, query, out, { title: args.title, maxCurves: args.maxCurves, loadPredictions: predictionsLoader(args.dataDir) });
      process.stdout.write(`${written.path}\n`);
      process.stderr.write(
        `report of ${written.runs} run${written.runs === 1 ? '' : 's'}` +
          `${written.best ? `, best by validation accuracy: ${written.best.name} (${written.best.id})` : ''}` +
          `, ${(written.bytes / 1e6).toFixed(1)} MB\n`,
      );
    }),
};
