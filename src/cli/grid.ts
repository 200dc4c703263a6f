/** Running a grid from the CLI (digits run / digits rerun): Ctrl-C, the live view, the final summary, exit codes. */
import { EXIT, UserError } from '../errors';
import { localExecutor, type Executor, type GridOptions, type GridResult, type RunnerEvent } from '../runner';
import { createRunView } from './run-view';
import { onStopSignals } from './interrupt';
import { coloursFor, type Colours } from './format/colour';

/**
 * Exit codes of `digits run`: 0 every trial finished (or had finished before), 1 some trial
 * failed (each is listed), 130 interrupted by Ctrl-C (run it again to resume), 2 a usage error.
 */
export function gridExitCode(result: GridResult): number {
  if (result.interrupted) return EXIT.interrupted;
  return result.results.some((r) => r.status !== 'finished') ? EXIT.trialsFailed : EXIT.ok;
}

/**
 * Runs the grid with a live view on stderr. The first Ctrl-C (or SIGTERM, SIGHUP) stops the workers
 * after their current batch (runs recorded interrupted); a second one quits at once (workers stop on their own
 * when the parent is gone, and the next `digits run` marks their runs interrupted).
 */
export async function runGridWithView(options: Omit<GridOptions, 'signal'>, executor: Executor = localExecutor()): Promise<GridResult> {
  const view = createRunView();
  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) {
      view.stop(); // shows the cursor again
      process.exit(EXIT.interrupted);
    }
    controller.abort();
  };
  const release = onStopSignals(onSigint);
  try {
    const onEvent = (event: RunnerEvent) => {
      view.onEvent(event);
      options.onEvent?.(event); // e.g. the live report of digits run
    };
    const result = await executor.run({ ...options, signal: controller.signal, onEvent });
    view.stop();
    if (result.fatal) {
      if (result.fatal.userError) throw new UserError(result.fatal.error);
      throw new Error(`a runner worker could not start: ${result.fatal.error}`);
    }
    return result;
  } finally {
    view.stop();
    release();
  }
}

/** `digits run --json`: what ran and how each trial ended (the trials ended in this call, in trial order). */
export function gridJson(result: GridResult, report: string | null) {
  return {
    experiment: result.experiment,
    total: result.total,
    alreadyFinished: result.alreadyFinished,
    runningElsewhere: result.runningElsewhere,
    interrupted: result.interrupted,
    report,
    trials: result.results.map((r) => ({
      name: r.trial.name, trialHash: r.trial.hash, runId: r.runId, status: r.status, error: r.error,
      valAccuracy: r.valAccuracy, testAccuracy: r.testAccuracy, trainSeconds: r.trainSeconds, wallSeconds: r.wallSeconds, worker: r.worker,
    })),
  };
}

/** The lines printed after a grid: what ran, and every failure with its error. */
export function formatGridSummary(result: GridResult, c: Colours = coloursFor(process.stdout)): string {
  const ended = result.results;
  const finished = ended.filter((r) => r.status === 'finished').length;
  const failed = ended.filter((r) => r.status === 'failed');
  const interrupted = ended.filter((r) => r.status === 'interrupted').length;
  const lines: string[] = [];
  if (ended.length === 0 && result.alreadyFinished === result.total) {
    lines.push(`${result.alreadyFinished} of ${result.total} trials already finished; nothing to run`);
  } else {
    const before = result.alreadyFinished ? `, ${result.alreadyFinished} had finished before` : '';
    lines.push(`${result.experiment}: ${finished} trial${finished === 1 ? '' : 's'} finished, ${failed.length} failed, ${interrupted} interrupted${before} (${result.total} in all)`);
  }
  if (result.runningElsewhere.length) lines.push(`skipped, running in another process: ${result.runningElsewhere.map((n) => `"${n}"`).join(', ')}`);
  if (failed.length) {
    lines.push(c.red('failed trials:'));
    for (const r of failed) lines.push(`  "${r.trial.name}" (run ${r.runId}): ${(r.error ?? '').split('\n').slice(0, 3).join('\n    ')}`);
  }
  if (result.interrupted && !result.detached) lines.push(c.yellow('interrupted: run the same command again to resume (finished trials are skipped)'));
  return lines.join('\n') + '\n';
}
