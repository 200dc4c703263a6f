/**
 * Running an experiment file from a notebook in one call: the CLI's runner (worker processes,
 * resumable, the same store and run folders as `digits run`), with a status line per worker and
 * the grid's learning curves (step points and validation, from the store) redrawn as epochs finish.
 */
import { loadExperiment, type Trial } from '../config';
import { UserError } from '../errors';
import { runGrid, type GridResult, type RunnerEvent } from '../runner';
import { openStore, type Run, type TrackingStore } from '../tracking';
import { storedCurvePoints, stepCurvesSpec } from './step-curves';
import { newOutput, type Output } from './display';
import { untilInterrupted } from './interrupt';
import { notebookSettings, type NotebookSettings } from './settings';
import type { Overrides } from './train';

export interface RunExperimentOptions {
  /** Overrides for every trial, like `digits run --set`. */
  set?: Overrides;
  /** Worker processes (default: the runner's, the cores divided by the trials' replicas). */
  workers?: number;
  /** New runs even for trials that finished before (`digits rerun`); default: finished trials are skipped. */
  fresh?: boolean;
  settings?: NotebookSettings;
  /** Where the curves and the status lines go (default: two new outputs in the cell); false for none. */
  outputs?: { chart: Output; progress?: Output } | false;
  /** Minimum milliseconds between chart redraws (default 3000). */
  chartEveryMs?: number;
  /** Stops the workers after their current batch (runs recorded interrupted); so does the kernel's interrupt (SIGINT). */
  signal?: AbortSignal;
}

export interface ExperimentRuns {
  /** What the runner did in this call (trials trained, failed, skipped). */
  result: GridResult;
  /** The newest run of every trial, as the store has it, in the file's trial order (finished before or now). */
  runs: Run[];
}

/**
 * Trains every trial of an experiment file that has not finished yet, like `digits run`. Jupyter's
 * stop button stops the workers after their current batch; running the cell again resumes.
 * @example const { runs } = await runExperiment('experiments/quickstart.yaml', { set: ['data.trainLimit=2000'] });
 */
export async function runExperiment(file: string, options: RunExperimentOptions = {}): Promise<ExperimentRuns> {
  const experiment = loadExperiment(file, { overrides: options.set ?? [] });
  const settings = options.settings ?? notebookSettings();
  const outputs = options.outputs === false ? null : (options.outputs ?? { progress: newOutput(), chart: newOutput() });
  const view = outputs ? gridView(settings.dbFile, experiment.name, experiment.trials, outputs, options.chartEveryMs ?? 3000) : null;
  const result = await untilInterrupted((signal) => runGrid({
    experiment: experiment.name, trials: experiment.trials, dbFile: settings.dbFile, runsDir: settings.runsDir,
    dataDir: settings.dataDir, workers: options.workers, fresh: options.fresh, signal, onEvent: view?.onEvent,
  }), options.signal);
  await view?.finish(result);
  if (result.fatal) {
    // As `digits run`: a worker that could not start for the user's reason (MNIST missing) is their mistake.
    if (result.fatal.userError) throw new UserError(result.fatal.error);
    throw new Error(`a runner worker could not start: ${result.fatal.error}`);
  }
  const store = openStore(settings.dbFile);
  try {
    return { result, runs: trialRuns(store, experiment.trials) };
  } finally {
    store.close();
  }
}

/** The newest run of each trial (by hash), in trial order. */
function trialRuns(store: TrackingStore, trials: Trial[]): Run[] {
  return trials.flatMap((t) => {
    const newest = [...store.findByHash(t.hash)].sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
    return newest ? [newest] : [];
  });
}

interface GridView {
  onEvent(event: RunnerEvent): void;
  finish(result: GridResult): Promise<void>;
}

function gridView(dbFile: string, experimentName: string, trials: Trial[], outputs: { chart: Output; progress?: Output }, chartEveryMs: number): GridView {
  const epochs = Math.max(1, ...trials.map((t) => t.spec.train.epochs));
  const names = new Map<number, string>(); // worker -> its trial's name
  const lines = new Map<number, string>(); // worker -> where it is
  const counts = { total: trials.length, done: 0, failed: 0 };
  let [lastChart, lastStatus, drawing, failure] = [-Infinity, -Infinity, Promise.resolve(), null as unknown];
  const status = () =>
    [`${counts.done} of ${counts.total} trials done, ${counts.failed} failed`, ...[...lines.entries()].sort(([a], [b]) => a - b).map(([w, line]) => `worker ${w}: ${line}`)].join('\n');
  const draw = () => {
    lastChart = Date.now();
    drawing = drawing
      .then(async () => {
        const store = openStore(dbFile);
        try {
          const points = storedCurvePoints(store, trialRuns(store, trials));
          if (points.length > 0) await outputs.chart.chart(stepCurvesSpec(points, { title: `Learning curves · ${experimentName}`, epochs }));
        } finally {
          store.close();
        }
      })
      .catch((err) => {
        failure ??= err;
      });
  };
  return {
    onEvent: (e) => {
      if (e.type === 'plan') counts.done = e.alreadyFinished;
      else if (e.type === 'trial-start') {
        names.set(e.worker, e.trial.name);
        lines.set(e.worker, `${e.trial.name} · starting`);
      } else if (e.type === 'batch') lines.set(e.worker, `${names.get(e.worker)} · epoch ${e.epoch}/${e.epochs} · batch ${e.batch}/${e.batches}`);
      else if (e.type === 'trial-end') {
        counts.done += e.result.status === 'finished' ? 1 : 0;
        counts.failed += e.result.status === 'failed' ? 1 : 0;
        if (e.result.worker !== null) lines.delete(e.result.worker);
      }
      if ((e.type === 'epoch' || e.type === 'trial-end') && Date.now() - lastChart >= chartEveryMs) draw();
      // Batch events arrive many times a second: the status line follows at most twice a second.
      if (e.type !== 'batch' || Date.now() - lastStatus >= 500) {
        lastStatus = Date.now();
        outputs.progress?.text(status());
      }
    },
    finish: async (result) => {
      lines.clear();
      outputs.progress?.text(`${status()}${result.interrupted ? ' · interrupted: run it again to resume' : ''}`);
      draw();
      await drawing;
      if (failure) throw failure;
    },
  };
}
