/**
 * A report that follows a running grid: rewritten (atomically, see writeFileAtomic in src/files) when epochs and
 * trials end, at most once every `everySeconds`, marked live and reloading itself in the browser.
 * `finish()` stops it; the caller then writes the final, static report over it.
 */
import { isUserError } from '../errors';
import type { Run, RunQuery, TrackingStore } from '../tracking';
import type { TestPredictions } from './types';
import { writeReport, type WriteReportOptions } from './write';

/** Seconds between two rewrites of a live report at least, and its reload period in the browser. */
export const LIVE_REPORT_SECONDS = 10;

export interface LiveReportOptions extends Omit<WriteReportOptions, 'live'> {
  /** At most one rewrite per this many seconds (and the page reloads as often); default LIVE_REPORT_SECONDS. */
  everySeconds?: number;
  /** Called after each rewrite, or with the problem when one failed (the grid goes on either way). */
  onWrite?: (result: { path: string; runs: number; startedAt: number } | { error: unknown }) => void;
}

export interface LiveReport {
  /** Something changed (an epoch or a trial ended): rewrite now, or when the throttle allows. */
  changed(): void;
  /** Stops rewriting and waits for a rewrite in progress. */
  finish(): Promise<void>;
  /** Rewrites so far. */
  readonly writes: number;
}

/**
 * Keeps `outPath` a live report of the runs matching `query` while a grid runs.
 * @example
 *   const live = liveReport(store, { experiment: ['cnn-grid'] }, 'reports/cnn-grid.html');
 *   await runGrid({ ..., onEvent: (e) => { if (e.type === 'epoch' || e.type === 'trial-end') live.changed(); } });
 *   await live.finish(); await writeReport(store, { experiment: ['cnn-grid'] }, 'reports/cnn-grid.html');
 */
export function liveReport(store: TrackingStore, query: RunQuery, outPath: string, options: LiveReportOptions = {}): LiveReport {
  const every = options.everySeconds ?? LIVE_REPORT_SECONDS;
  const loadPredictions = options.loadPredictions ? cachedForFinished(options.loadPredictions) : undefined;
  let last = 0;
  let timer: NodeJS.Timeout | null = null;
  let writing: Promise<void> | null = null;
  let pending = false;
  let stopped = false;
  let writes = 0;

  const write = async () => {
    const startedAt = Date.now();
    try {
      const written = await writeReport(store, query, outPath, { ...options, loadPredictions, live: { every } });
      writes += 1;
      options.onWrite?.({ path: written.path, runs: written.runs, startedAt });
    } catch (err) {
      // No run yet (a UserError) or a busy disk must not stop the grid; the final report tells.
      if (!isUserError(err)) options.onWrite?.({ error: err });
    }
  };
  const run = () => {
    timer = null;
    if (stopped) return;
    if (writing) return void (pending = true);
    pending = false;
    last = Date.now();
    writing = write().finally(() => {
      writing = null;
      if (pending && !stopped) schedule();
    });
  };
  const schedule = () => {
    if (stopped || timer) return;
    const wait = Math.max(0, last + every * 1000 - Date.now());
    timer = setTimeout(run, wait);
    timer.unref?.();
  };
  return {
    changed: schedule,
    async finish() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await writing;
    },
    get writes() {
      return writes;
    },
  };
}

/** A finished run's predictions never change: load them once; others (still running) each time. */
function cachedForFinished(load: (run: Run) => Promise<TestPredictions | null>): (run: Run) => Promise<TestPredictions | null> {
  const cache = new Map<string, Promise<TestPredictions | null>>();
  return (run) => {
    if (run.status !== 'finished') return load(run);
    let loaded = cache.get(run.id);
    if (!loaded) cache.set(run.id, (loaded = load(run)));
    return loaded;
  };
}
