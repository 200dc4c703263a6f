/** Writes a report for a store query: gathers runs, histories and the best run's predictions. */
import fs from 'node:fs';
import path from 'node:path';
import { makeFolders, writeFileAtomic } from '../files';
import { fileCodeProblem, isUserError, UserError } from '../errors';
import { rankRuns, type Run, type RunQuery, type TrackingStore } from '../tracking';
import { renderReportHtml, type ReportOptions } from './html/page';
import { bestRun, valAccuracy } from './runs';
import type { ReportData, TestPredictions } from './types';

export interface WriteReportOptions extends ReportOptions {
  /**
   * Loads a run's test-set predictions for the mistakes gallery; resolve to null when it has none.
   * Default: none (the page says so instead of showing a gallery).
   */
  loadPredictions?: (run: Run) => Promise<TestPredictions | null>;
  /** Load the predictions of at most this many runs, the best by validation accuracy; default 20. */
  maxPredictionRuns?: number;
}

/** Runs whose test predictions a report embeds by default (their confusion cells open their mistakes). */
export const DEFAULT_PREDICTION_RUNS = 20;

export interface WrittenReport {
  path: string; // absolute
  runs: number;
  bytes: number;
  best: Run | null;
}

/**
 * Builds the report of every run matching `query` and writes it to `outPath` (folders created).
 * Throws UserError (exit 2) when no run matches, naming the experiments that do have runs.
 * @example await writeReport(openStore(), { experiment: ['cnn-grid'] }, 'reports/cnn-grid.html')
 */
export async function writeReport(
  store: TrackingStore,
  query: RunQuery,
  outPath: string,
  options: WriteReportOptions = {},
): Promise<WrittenReport> {
  const target = checkReportTarget(outPath);
  const runs = store.listRuns(query);
  if (runs.length === 0) throw noRunsError(store, query);
  const data = await collectReportData(store, runs, options.loadPredictions, options.maxPredictionRuns);
  const html = await renderReportHtml(data, { ...options, title: options.title ?? defaultTitle(query) });
  try {
    writeFileAtomic(target, html, { makeFolder: true }); // whole or not at all: a full disk leaves the previous report
  } catch (err) {
    throw cannotWrite(target, err);
  }
  return { path: target, runs: runs.length, bytes: Buffer.byteLength(html), best: bestRun(runs) };
}

/**
 * The absolute report path, once its folder exists and can be written: UserError (exit 2) for a
 * folder in place of the file, a parent that is a file, or a folder that cannot be created or
 * written. Call it before long work (training) that ends in a report.
 */
export function checkReportTarget(outPath: string): string {
  const target = path.resolve(outPath);
  const dir = path.dirname(target);
  try {
    if (fs.statSync(target, { throwIfNoEntry: false })?.isDirectory()) {
      throw new UserError(`cannot write the report to ${target}: it is a folder; name the HTML file, e.g. ${path.join(target, 'report.html')}`);
    }
    makeFolders(dir);
    fs.accessSync(dir, fs.constants.W_OK);
  } catch (err) {
    throw cannotWrite(target, err);
  }
  return target;
}

/** A file system error while writing the report, as one line that names the path and the cause. */
function cannotWrite(target: string, err: unknown): Error {
  const why = fileCodeProblem(err);
  if (why === null) return err as Error;
  return new UserError(`cannot write the report to ${target}: ${why} (${(err as NodeJS.ErrnoException).code}); choose another path or free the disk`);
}

/**
 * Runs plus their epoch histories and step metrics and, when a loader is given, the test
 * predictions of the `maxPredictionRuns` best runs (a UserError from the loader, e.g. a damaged run
 * folder, costs that run's mistakes; the best run's becomes `predictionsProblem`).
 */
export async function collectReportData(
  store: TrackingStore,
  runs: Run[],
  loadPredictions?: (run: Run) => Promise<TestPredictions | null>,
  maxPredictionRuns = DEFAULT_PREDICTION_RUNS,
): Promise<ReportData> {
  const histories = new Map(runs.map((run) => [run.id, store.history(run.id)]));
  const steps = new Map(runs.map((run) => [run.id, store.steps(run.id)]));
  const data: ReportData = { runs, histories, steps };
  const best = bestRun(runs);
  if (!best || !loadPredictions) return data;
  const predictions = new Map<string, TestPredictions>();
  const ranked = rankRuns(runs.filter((run) => run.test && valAccuracy(run) !== null));
  for (const run of [best, ...ranked.filter((r) => r !== best)].slice(0, Math.max(1, maxPredictionRuns))) {
    try {
      const loaded = await loadPredictions(run);
      if (loaded) predictions.set(run.id, loaded);
    } catch (err) {
      // A damaged or moved run folder costs that run's mistakes, not the whole report.
      if (!isUserError(err)) throw err;
      if (run === best) data.predictionsProblem = err.message;
    }
  }
  return { ...data, predictions, bestPredictions: predictions.get(best.id) };
}

function defaultTitle(query: RunQuery): string {
  if (query.experiment?.length) return `digit-lab report · ${query.experiment.join(', ')}`;
  return 'digit-lab report';
}

function noRunsError(store: TrackingStore, query: RunQuery): UserError {
  const wanted = [
    query.experiment?.length ? `experiment ${query.experiment.map((e) => `"${e}"`).join(' or ')}` : '',
    query.ids?.length ? `run id ${query.ids.map((id) => `"${id}"`).join(' or ')}` : '',
    query.status?.length ? `status ${query.status.join(' or ')}` : '',
    query.where ? `where "${query.where}"` : '',
  ].filter(Boolean);
  const experiments = [...new Set(store.listRuns().map((run) => run.experiment))].sort();
  const have = experiments.length
    ? `experiments with runs: ${experiments.slice(0, 20).join(', ')}${experiments.length > 20 ? ', ...' : ''}`
    : 'the tracking database has no runs yet; run an experiment first (digits run experiments/quickstart.yaml)';
  return new UserError(`no runs match ${wanted.length ? wanted.join(' and ') : 'the query'}: nothing to report. ${capitalise(have)}.`);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
