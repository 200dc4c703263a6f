/**
 * The signals that ask `digits run` and `digits train` to stop: Ctrl-C (SIGINT), SIGTERM (`kill`,
 * `timeout`, a scheduler ending the job) and SIGHUP (the terminal closed). Each stops the work after
 * the current batch with the runs recorded interrupted, so the same command resumes them.
 */
const STOP_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * Calls `handler` on each stop signal until the returned function is called.
 * @example const release = onStopSignals(() => controller.abort()); try { ... } finally { release(); }
 */
export function onStopSignals(handler: (signal: NodeJS.Signals) => void): () => void {
  for (const signal of STOP_SIGNALS) process.on(signal, handler);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, handler);
  };
}
