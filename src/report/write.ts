/** Writes a report for a store query: gathers runs, histories and the best run's predictions. */
import fs from 'node:fs';
import path from 'node:path';
import { isUserError, UserError } from '../errors';
import type { Run, RunQuery, TrackingStore } from '../tracking';
import { renderReportHtml, type ReportOptions } from './html/page';
import { bestRun } from './runs';
import type { ReportData, TestPredictions } from './types';

export interface WriteReportOptions extends ReportOptions {
  /**
   * Loads a run's test-set predictions for the mistakes gallery; resolve to null when it has none.
   * Default: none (the page says so instead of showing a gallery).
   */
  loadPredictions?: (run: Run) => Promise<TestPredictions | null>;
}

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
  const runs = store.listRuns(query);
  if (runs.length === 0) throw noRunsError(store, query);
  const data = await collectReportData(store, runs, options.loadPredictions);
  const html = await renderReportHtml(data, { ...options, title: options.title ?? defaultTitle(query) });
  const target = path.resolve(outPath);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, html);
  return { path: target, runs: runs.length, bytes: Buffer.byteLength(html), best: bestRun(runs) };
}

/**
 * Runs plus their epoch histories and, when a loader is given, the best run's test predictions
 * (a UserError from the loader, e.g. a damaged run folder, becomes `predictionsProblem`).
 */
export async function collectReportData(
  store: TrackingStore,
  runs: Run[],
  loadPredictions?: (run: Run) => Promise<TestPredictions | null>,
): Promise<ReportData> {
  const histories = new Map(runs.map((run) => [run.id, store.history(run.id)]));
  const best = bestRun(runs);
  if (!best || !loadPredictions) return { runs, histories };
  try {
    return { runs, histories, bestPredictions: (await loadPredictions(best)) ?? undefined };
  } catch (err) {
    // A damaged or moved run folder costs the gallery, not the whole report.
    if (!isUserError(err)) throw err;
    return { runs, histories, predictionsProblem: err.message };
  }
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
