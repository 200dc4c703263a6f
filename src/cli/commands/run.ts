/** `digits run`: trains every trial of an experiment file in worker processes, resumably, then reports. */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { loadExperiment } from '../../config';
import type { Experiment, Trial } from '../../config';
import { UserError } from '../../errors';
import { checkReportTarget, liveReport, safeFileName, writeReport } from '../../report';
import type { GridResult, RunnerEvent } from '../../runner';
import { importJournals, openStore, PROJECT_ROOT, rankRuns, type TrackingStore } from '../../tracking';
import { withDbOption, writableStorePaths, type StoreFlags } from '../format/db';
import { renderTable } from '../format/table';
import { duration, fixed } from '../format/values';
import { cancelSlurmGrid, chooseExecutor, detachedHint, withExecutorOptions, type ExecutorFlags } from '../executor-flags';
import { jsonDocument } from '../format/json';
import { formatGridSummary, gridExitCode, gridJson, runGridWithView } from '../grid';
import { predictionsLoader } from '../report-predictions';

export interface GridFlags extends StoreFlags {
  workers?: number;
  dataDir?: string;
}

interface RunArgs extends GridFlags, ExecutorFlags {
  experiment?: string;
  set?: string[];
  report: boolean;
  reportDir?: string;
  dryRun?: boolean;
  json?: boolean;
}

/** Adds the options `digits run` and `digits rerun` share. */
export function withGridOptions<T>(y: import('yargs').Argv<T>) {
  return withDbOption(y)
    .option('workers', { type: 'number', describe: 'Worker processes training trials in parallel (default: the cores divided by the trials\' train.replicas)' })
    .option('data-dir', { type: 'string', describe: 'MNIST folder (default: $DIGITS_DATA_DIR, else the cache)' });
}

/**
 * The worker count to use: --workers, else undefined (the runner then fits workers times replicas
 * to the cores); UserError for anything but a whole number >= 1.
 */
export function workerCount(flag: number | undefined): number | undefined {
  if (flag === undefined) return undefined;
  if (!Number.isInteger(flag) || flag < 1 || flag > 256) throw new UserError(`--workers must be a whole number from 1 to 256, got ${String(flag)}; e.g. --workers 2`);
  return flag;
}

export const runCommand: CommandModule<object, RunArgs> = {
  // Optional here so that a missing file gets our one-line message (see experimentFile), not yargs'.
  command: 'run [experiment]',
  describe: 'Train every trial of an experiment file (skipping finished ones), then write its report',
  builder: (y) =>
    withExecutorOptions(withGridOptions(
      y
        .usage('$0 run <experiment> [options]')
        .positional('experiment', { type: 'string', describe: 'Experiment file, e.g. experiments/quickstart.yaml' })
        .option('set', { type: 'string', array: true, describe: 'Override a setting for every trial: key=value (YAML value), repeatable' }),
    ))
      .option('report', { type: 'boolean', default: true, describe: 'Write reports/<experiment>.html at the end (--no-report to skip)' })
      .option('report-dir', { type: 'string', describe: 'Folder for the report (default: reports/ in the project folder)' })
      .option('dry-run', { type: 'boolean', describe: 'Show which trials would run or be skipped, train nothing' })
      .option('json', { type: 'boolean', describe: 'Print the outcome as one JSON document on stdout (the live view stays on stderr)' })
      .example('$0 run experiments/quickstart.yaml', 'the quick start: a small grid in a few minutes')
      .example('$0 run experiments/cnn-grid.yaml --workers 2 --set train.epochs=2', 'a grid with an override')
      .example('$0 run experiments/cnn-grid.yaml --executor slurm --time-limit 2:00:00', 'one Slurm array task per trial; run again to re-attach')
      .epilogue('Exit codes: 0 every trial finished, 1 some trials failed (each is listed), 2 a mistake in the file or flags, ' +
        '130 interrupted (Ctrl-C, SIGTERM or SIGHUP). Running the same command again resumes: finished trials are skipped, interrupted runs continue.'),
  handler: async (args) => {
    const experiment = loadExperiment(experimentFile(args.experiment), { overrides: args.set ?? [] });
    const workers = workerCount(args.workers);
    const { dbFile, runsDir } = writableStorePaths(args);
    if (args.dryRun) return printDryRun(experiment, dbFile, runsDir, args.json);
    const executor = chooseExecutor(args, experiment);
    if (args.cancel) return void process.stdout.write(await cancelSlurmGrid(experiment, dbFile, runsDir));
    // Checked before training, not after: a report folder that cannot be written is a one-line error now.
    const reportPath = args.report ? checkReportTarget(reportFile(experiment.name, args.reportDir)) : null;
    const say = (text: string) => (args.json ? undefined : process.stdout.write(text));
    let report: string | null = null;
    const store = openStore(dbFile, { runsDir });
    let result: GridResult;
    try {
      if (executor.name === 'local') importJournals(store, runsDir); // trials a cluster finished are not trained again
      // While the grid runs, its report follows it (report/live.ts); the final one below is static.
      const live = reportPath ? liveGridReport(store, experiment.name, reportPath, args.dataDir) : null;
      result = await runGridWithView({ experiment: experiment.name, trials: experiment.trials, dbFile, runsDir, dataDir: args.dataDir, workers, onEvent: live?.onEvent }, executor);
      await live?.report.finish();
      process.exitCode = gridExitCode(result);
      say(formatGridSummary(result));
      if (result.detached) say(detachedHint(path.relative(process.cwd(), experiment.file) || experiment.file));
      const ids = experimentRunIds(store, experiment.name, experiment.trials);
      // After Ctrl-C, only a page left live needs its static version (else it would reload forever).
      if (reportPath && (!result.interrupted || live?.report.writes)) report = await printReport(store, experiment.name, ids, reportPath, args.dataDir, say);
      if (!result.interrupted) say(comparisonTable(store, experiment.name, ids));
    } finally {
      store.close();
    }
    if (args.json) process.stdout.write(jsonDocument(gridJson(result, report)));
  },
};

/** The experiment file argument, or a UserError that says how to name one and lists experiments/. */
function experimentFile(file: string | undefined, dir = path.join(process.cwd(), 'experiments')): string {
  if (file) return file;
  const found = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort() : [];
  const listed = found.length ? `; ${path.relative(process.cwd(), dir) || '.'}/ holds ${found.join(', ')}` : '';
  throw new UserError(`run needs an experiment file, e.g. \`digits run experiments/quickstart.yaml\`${listed}`);
}

/** The live report of a running grid, rewritten when an epoch or a trial ends. */
function liveGridReport(store: TrackingStore, name: string, out: string, dataDir: string | undefined) {
  const report = liveReport(store, { experiment: [name] }, out, { loadPredictions: predictionsLoader(dataDir) });
  const onEvent = (event: RunnerEvent) => {
    if (event.type === 'epoch' || event.type === 'trial-end') report.changed();
  };
  return { report, onEvent };
}

/**
 * <report dir>/<experiment>.html, the name made safe (safeFileName): an experiment named
 * "../../x" or "a/b" writes inside the report folder and creates no folders.
 */
function reportFile(experiment: string, reportDir: string | undefined): string {
  return path.join(path.resolve(reportDir ?? path.join(PROJECT_ROOT, 'reports')), safeFileName(experiment, '.html'));
}

/**
 * The runs an experiment file's report shows: every run recorded under its name, plus the runs of
 * its trials recorded under another name. Trials are identified by their settings, so a renamed
 * copy of a finished experiment trains nothing, and its report shows the runs it matched.
 */
function experimentRunIds(store: TrackingStore, name: string, trials: Trial[]): string[] {
  const ids = new Set(store.listRuns({ experiment: [name] }).map((r) => r.id));
  for (const trial of trials) for (const run of store.findByHash(trial.hash)) ids.add(run.id);
  return [...ids];
}

/** Writes the experiment's report, says where, and returns its path (null when it has no runs). */
async function printReport(store: TrackingStore, name: string, ids: string[], out: string, dataDir: string | undefined, say: (text: string) => void): Promise<string | null> {
  if (ids.length === 0) return null;
  const written = await writeReport(store, { ids }, out, { title: `digit-lab report · ${name}`, loadPredictions: predictionsLoader(dataDir) });
  say(`report: ${written.path} (${written.runs} runs)\n`);
  return written.path;
}

/** The best finished runs of the experiment (its runs `ids`) by validation accuracy, with test accuracy. */
function comparisonTable(store: TrackingStore, experiment: string, ids: string[], limit = 10): string {
  // Best first by the one ranking (tracking/ranking), as `digits best` and the report's star.
  const runs = ids.length ? rankRuns(store.listRuns({ ids, status: ['finished'] })).slice(0, limit) : [];
  if (runs.length === 0) return `no finished runs of ${experiment} yet\n`;
  const title = `top ${runs.length} finished run${runs.length === 1 ? '' : 's'} of ${experiment} by validation accuracy:\n`;
  return title + renderTable(
    [
      { header: 'run', value: (r) => r.id },
      { header: 'trial', value: (r) => r.name },
      { header: 'val_acc', value: (r) => fixed(r.validation?.accuracy), align: 'right' },
      { header: 'test_acc', value: (r) => fixed(r.test?.accuracy), align: 'right' },
      { header: 'epochs', value: (r) => String(r.summary?.epochs ?? '-'), align: 'right' },
      { header: 'time', value: (r) => duration(r.summary?.trainSeconds), align: 'right' },
    ],
    runs,
  );
}

function printDryRun(experiment: Experiment, dbFile: string, runsDir: string, json = false): void {
  const store = openStore(dbFile, { runsDir });
  try {
    importJournals(store, runsDir); // trials finished on a cluster since the last look count as finished
    const finished = new Set(experiment.trials.filter((t) => store.findByHash(t.hash).some((r) => r.status === 'finished')).map((t) => t.hash));
    if (json) {
      const trials = experiment.trials.map((t) => ({ name: t.name, trialHash: t.hash, status: finished.has(t.hash) ? 'finished' : 'to run' }));
      return void process.stdout.write(jsonDocument({ experiment: experiment.name, dryRun: true, trials }));
    }
    const lines = experiment.trials.map((t) => `  ${finished.has(t.hash) ? 'finished' : 'to run  '}  ${t.hash}  ${t.name}`);
    process.stdout.write(`${experiment.name}: ${experiment.trials.length} trials, ${finished.size} already finished\n${lines.join('\n')}\n`);
  } finally {
    store.close();
  }
}
