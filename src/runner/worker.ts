/**
 * Entry point of a runner worker process (forked by the runner from dist/runner/worker.js).
 * Chooses the backend and loads MNIST once, then trains the trials the parent sends one at a time.
 * Stops after the current batch on `stop`, SIGINT/SIGTERM, or when the parent dies (IPC disconnect).
 */
import { loadMnist } from '../data';
import { selectBackend } from '../engine';
import { isUserError } from '../errors';
import { openStore } from '../tracking';
import { collectProvenance } from '../train';
import { WORKER_SETUP_ENV, type ParentMessage, type WorkerMessage, type WorkerSetup } from './messages';
import { runTrial, type TrialContext } from './worker-trial';

/** Runs the worker until told to stop; the process exits when this resolves. */
export async function workerMain(): Promise<void> {
  const setup = JSON.parse(process.env[WORKER_SETUP_ENV] ?? 'null') as WorkerSetup | null;
  if (!setup || !process.send) throw new Error('runner worker: start me with child_process.fork and the DIGITS_WORKER_SETUP variable');
  const { send, flush } = messenger();
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.on('disconnect', stop);
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const started = performance.now();
  let ctx: TrialContext;
  try {
    const engine = await selectBackend();
    const mnist = await loadMnist({ dataDir: setup.dataDir });
    const store = openStore(setup.dbFile, { runsDir: setup.runsDir });
    ctx = { setup, mnist, store, provenance: collectProvenance(engine), signal: controller.signal, send };
    send({ type: 'ready', backend: engine.backend, pid: process.pid, startupSeconds: (performance.now() - started) / 1000 });
  } catch (err) {
    send({ type: 'fatal', error: err instanceof Error ? err.message : String(err), userError: isUserError(err) });
    return flush();
  }
  await serveTrials(ctx, controller);
  ctx.store.close();
  await flush();
}

/** IPC sends to the parent, and a flush that waits (at most 2 s) until they have left, before exit. */
function messenger(): { send: (message: WorkerMessage) => void; flush: () => Promise<void> } {
  let inFlight = 0;
  let drained: (() => void) | null = null;
  const send = (message: WorkerMessage) => {
    if (!process.connected || !process.send) return;
    inFlight += 1;
    process.send(message, undefined, {}, () => {
      inFlight -= 1;
      if (inFlight === 0) drained?.();
    });
  };
  const flush = () =>
    inFlight === 0 || !process.connected
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          drained = resolve;
          setTimeout(resolve, 2000).unref();
        });
  return { send, flush };
}

/** Takes `trial` messages one at a time until `stop`, a signal or a disconnect aborts `controller`. */
function serveTrials(ctx: TrialContext, controller: AbortController): Promise<void> {
  return new Promise((resolve) => {
    if (controller.signal.aborted) return resolve();
    let busy: Promise<void> = Promise.resolve();
    const onMessage = (message: ParentMessage) => {
      if (message.type === 'stop') controller.abort();
      else if (message.type === 'trial' && !controller.signal.aborted) busy = busy.then(() => runTrial(ctx, message.runId, message.attempt, message.trial));
    };
    process.on('message', onMessage);
    controller.signal.addEventListener('abort', () => {
      process.off('message', onMessage);
      void busy.then(resolve);
    }, { once: true });
  });
}

if (require.main === module) {
  workerMain().then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`runner worker ${process.pid}: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
