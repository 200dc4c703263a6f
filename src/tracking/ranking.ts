/**
 * "Best", defined once. The best run is the finished run with the highest validation accuracy of
 * its saved model (the final validation evaluation; the test set only reports, it never chooses).
 * Ties: the lower validation loss, then the earlier run (creation time, then id), so the choice is
 * stable as new runs arrive. `digits best`, `digits serve --best`, `/api/predict` without a run, the
 * report's starred run and the notebooks all rank with this.
 */
import type { Run } from './types';

/** What ranking needs to know about a run; store runs and scanned run folders both give it. */
export interface Rankable {
  id: string;
  createdAt: string | null;
  valAccuracy: number | null;
  valLoss: number | null;
}

/** A run's ranking fields: validation accuracy of the saved model (else of the best epoch), its loss. */
export function rankable(run: Run): Rankable {
  return {
    id: run.id,
    createdAt: run.createdAt,
    valAccuracy: finite(run.validation?.accuracy) ?? finite(run.summary?.bestValAccuracy),
    valLoss: finite(run.validation?.loss) ?? finite(run.summary?.bestValLoss),
  };
}

const finite = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/**
 * Orders runs best first: higher validation accuracy, then lower validation loss (missing last),
 * then earlier creation, then smaller id. Runs without a validation accuracy sort after all others.
 */
export function compareRankable(a: Rankable, b: Rankable): number {
  if (a.valAccuracy !== b.valAccuracy) {
    if (a.valAccuracy === null) return 1;
    if (b.valAccuracy === null) return -1;
    return b.valAccuracy - a.valAccuracy;
  }
  if (a.valLoss !== b.valLoss) {
    if (a.valLoss === null) return 1;
    if (b.valLoss === null) return -1;
    return a.valLoss - b.valLoss;
  }
  const created = (a.createdAt ?? '\uffff').localeCompare(b.createdAt ?? '\uffff');
  return created !== 0 ? created : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * The best of `items` by the ranking (only those with a validation accuracy compete), or null.
 * @example bestBy(catalogRuns, (r) => r)
 */
export function bestBy<T>(items: T[], fields: (item: T) => Rankable): T | null {
  let best: T | null = null;
  let bestFields: Rankable | null = null;
  for (const item of items) {
    const f = fields(item);
    if (f.valAccuracy === null) continue;
    if (bestFields === null || compareRankable(f, bestFields) < 0) {
      best = item;
      bestFields = f;
    }
  }
  return best;
}

/**
 * The best run: finished, by the ranking above; null when none has a validation score.
 * @example const best = bestRun(store.listRuns({ experiment: ['cnn-grid'], status: ['finished'] }));
 */
export function bestRun(runs: Run[]): Run | null {
  return bestBy(runs.filter((r) => r.status === 'finished'), rankable);
}

/** Runs sorted best first by the ranking (a copy). */
export function rankRuns(runs: Run[]): Run[] {
  const keyed = runs.map((run) => ({ run, key: rankable(run) }));
  return keyed.sort((a, b) => compareRankable(a.key, b.key)).map((k) => k.run);
}
