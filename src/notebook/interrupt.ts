/**
 * Jupyter's stop button sends the kernel SIGINT; tslab then abandons the cell's await but leaves the
 * promise running, so a training would go on behind the next cells. The one-call helpers stop it
 * instead: while they train, SIGINT aborts their signal (training stops after the current batch and
 * the run is recorded interrupted, as with Ctrl-C in the CLI).
 */

/**
 * Runs `work` with a signal that aborts on SIGINT or when `outer` aborts.
 * @example await untilInterrupted((signal) => trainAndRecord({ ..., signal }));
 */
export async function untilInterrupted<T>(work: (signal: AbortSignal) => Promise<T>, outer?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const onInterrupt = () => controller.abort();
  process.on('SIGINT', onInterrupt);
  try {
    return await work(outer ? AbortSignal.any([outer, controller.signal]) : controller.signal);
  } finally {
    process.off('SIGINT', onInterrupt);
  }
}
