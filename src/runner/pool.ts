/** Forking runner workers and talking to them. */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { WORKER_SETUP_ENV, type ParentMessage, type WorkerMessage, type WorkerSetup } from './messages';

const STDERR_TAIL = 4000;

/** A forked worker process; `index` is its 1-based slot number shown to the user. */
export interface WorkerHandle {
  index: number;
  pid: number;
  child: ChildProcess;
  send(message: ParentMessage): void;
  /** The last few thousand characters the worker wrote to stderr (for crash reports). */
  stderrTail(): string;
  /** Date.now() of the worker's last message (a training worker reports a batch at least every few seconds). */
  lastHeard: number;
  /** Set when watchHungWorkers killed it. */
  hung: boolean;
}

/**
 * The worker script: dist/runner/worker.js next to this file when compiled; under ts-node
 * (tests, benches importing src/) the .ts file through ts-node's transpile-only hook.
 */
export function workerScript(): { file: string; execArgv: string[] } {
  const js = path.join(__dirname, 'worker.js');
  if (fs.existsSync(js)) return { file: js, execArgv: [] };
  return { file: path.join(__dirname, 'worker.ts'), execArgv: ['-r', 'ts-node/register/transpile-only'] };
}

/** Forks one worker; `onMessage` and `onExit` receive its messages and its end. */
export function spawnWorker(
  index: number,
  setup: WorkerSetup,
  onMessage: (worker: WorkerHandle, message: WorkerMessage) => void,
  onExit: (worker: WorkerHandle, code: number | null, signal: NodeJS.Signals | null) => void,
): WorkerHandle {
  const script = workerScript();
  const child = fork(script.file, [], {
    env: { ...process.env, [WORKER_SETUP_ENV]: JSON.stringify(setup) },
    execArgv: script.execArgv,
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let tail = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    tail = (tail + chunk).slice(-STDERR_TAIL);
  });
  const handle: WorkerHandle = {
    index,
    pid: child.pid ?? -1,
    child,
    send(message) {
      if (child.connected) child.send(message, (err) => err && undefined); // a dying worker: its exit event follows
    },
    stderrTail: () => tail,
    lastHeard: Date.now(),
    hung: false,
  };
  child.on('message', (message: WorkerMessage) => {
    handle.lastHeard = Date.now();
    onMessage(handle, message);
  });
  child.on('exit', (code, signal) => onExit(handle, code, signal));
  child.on('error', () => undefined); // spawn/IPC errors end in 'exit' too
  return handle;
}

/**
 * Kills (SIGKILL) busy workers silent for longer than `seconds`: a hung trial then ends like a
 * crashed one (its run marked interrupted, the trial re-queued). Returns the function that stops watching.
 */
export function watchHungWorkers(busy: () => WorkerHandle[], seconds: number): () => void {
  const timer = setInterval(() => {
    for (const worker of busy()) {
      if (Date.now() - worker.lastHeard <= seconds * 1000) continue;
      worker.hung = true;
      worker.child.kill('SIGKILL');
    }
  }, Math.min(30_000, seconds * 250));
  timer.unref();
  return () => clearInterval(timer);
}
