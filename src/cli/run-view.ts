/**
 * What `digits run` shows while a grid trains. On a terminal: a live block of cli-progress bars,
 * a total line (done, failed, left, elapsed, ETA) and a line per worker (epoch and batch bar,
 * images/s, last validation accuracy, trial), with trial starts and ends printed above it. Without
 * a terminal (a log file, CI): the same events as plain lines, and a compact status line every few
 * seconds while trials run, instead of a line per batch (a flood) or per epoch (long silences).
 */
import cliProgress from 'cli-progress';
import type { RunnerEvent, TrialResult } from '../runner';
import { coloursFor, type Colours } from './format/colour';
import { duration, fixed } from './format/values';
import { GridState, type WorkerState } from './grid-state';

export interface RunView {
  onEvent(event: RunnerEvent): void;
  /** Removes the live lines and stops the status timer (before the final summary is printed). */
  stop(): void;
}

export interface RunViewOptions {
  /** Where the view writes (default stderr). */
  stream?: NodeJS.WriteStream;
  /** Without a terminal: the least time between two status lines (default 5 s). */
  statusEveryMs?: number;
  env?: NodeJS.ProcessEnv;
}

const BAR_STEPS = 1000;

/** A live view on a terminal, plain lines and periodic status lines otherwise. */
export function createRunView(options: RunViewOptions = {}): RunView {
  const stream = options.stream ?? process.stderr;
  const state = new GridState();
  const c = coloursFor(stream, options.env);
  return stream.isTTY ? liveView(stream, state, c) : plainView(stream, state, c, options.statusEveryMs ?? 5000);
}

/** The terminal view: one cli-progress MultiBar (the total, then a bar per worker). */
function liveView(stream: NodeJS.WriteStream, state: GridState, c: Colours): RunView {
  const bars = new cliProgress.MultiBar(
    { stream, hideCursor: true, clearOnComplete: true, barsize: 20, fps: 5, format: '{label} [{bar}] {text}', gracefulExit: false, forceRedraw: true },
    cliProgress.Presets.shades_classic,
  );
  let total: cliProgress.SingleBar | null = null;
  const workerBars = new Map<number, cliProgress.SingleBar>();
  /** Bars of trials that run with no worker process here (a cluster's array tasks): removed when the trial ends. */
  const taskBars = new Set<number>();
  const refresh = () => {
    total?.update(Math.round(workDone(state) * BAR_STEPS), { label: 'total   ', text: totalText(state) });
    for (const [n, bar] of workerBars) {
      const w = state.workers.get(n);
      if (w) bar.update(Math.round(w.fraction * BAR_STEPS), { label: `worker ${n}`, text: workerText(w) });
    }
  };
  // A logged line is written over a bar line: \x1b[K clears what the bar left to its right.
  const log = (line: string) => (total ? bars.log(line + '\x1b[K\n') : stream.write(line + '\n'));
  return {
    onEvent(e) {
      state.apply(e);
      switch (e.type) {
        case 'plan':
          log(planLine(e));
          if (e.toRun > 0) total = bars.create(Math.max(1, e.toRun) * BAR_STEPS, 0, { label: 'total   ', text: totalText(state) });
          break;
        case 'worker-ready':
          workerBars.set(e.worker, bars.create(BAR_STEPS, 0, { label: `worker ${e.worker}`, text: 'ready' }));
          break;
        case 'trial-start':
          if (total && !workerBars.has(e.worker)) {
            workerBars.set(e.worker, bars.create(BAR_STEPS, 0, { label: `worker ${e.worker}`, text: 'starting' }));
            taskBars.add(e.worker);
          }
          log(startLine(e));
          break;
        case 'trial-end': {
          const n = e.result.worker;
          const bar = n === null ? undefined : workerBars.get(n);
          if (n !== null && bar && taskBars.delete(n)) {
            workerBars.delete(n);
            bars.remove(bar);
          }
          log(endLine(e.result, c));
          break;
        }
        case 'trial-skipped':
          total?.setTotal(Math.max(1, state.toRun) * BAR_STEPS);
          log(`skipped "${e.trial.name}": ${e.reason}`);
          break;
        case 'trial-elsewhere':
          total?.setTotal(Math.max(1, state.toRun) * BAR_STEPS);
          log(waitingLine(e));
          break;
        case 'worker-exit': {
          const bar = workerBars.get(e.worker);
          workerBars.delete(e.worker);
          if (bar) bars.remove(bar);
          if (!e.expected) log(c.red(exitLine(e)));
          break;
        }
        case 'notice':
          log(`digits: ${e.message}`);
          break;
        case 'stopping':
          log(c.yellow(stoppingLine(e)));
          break;
        default:
          break;
      }
      refresh();
    },
    stop() {
      if (!total) return;
      bars.update(); // prints lines still waiting in the log buffer
      bars.stop();
      total = null;
      workerBars.clear();
    },
  };
}

/** The view without a terminal: event lines as they happen, a status line at most every `everyMs`. */
function plainView(stream: NodeJS.WriteStream, state: GridState, c: Colours, everyMs: number): RunView {
  const say = (line: string) => stream.write(line + '\n');
  let timer: NodeJS.Timeout | null = null;
  const status = () => {
    if (state.busyWorkers().length > 0) say(statusLine(state));
  };
  const stop = () => {
    if (timer) clearInterval(timer);
    timer = null;
  };
  return {
    onEvent(e) {
      state.apply(e);
      switch (e.type) {
        case 'plan':
          say(planLine(e));
          if (e.toRun > 0 && !timer) {
            timer = setInterval(status, everyMs);
            timer.unref();
          }
          return;
        case 'worker-ready':
          return say(`worker ${e.worker} (pid ${e.pid}) ready on ${e.backend} in ${e.startupSeconds.toFixed(1)} s`);
        case 'trial-start':
          return say(startLine(e));
        case 'trial-end':
          return say(`${endLine(e.result, c)}  [${countsText(state)}]`);
        case 'trial-skipped':
          return say(`skipped "${e.trial.name}": ${e.reason}`);
        case 'trial-elsewhere':
          return say(waitingLine(e));
        case 'worker-exit':
          return e.expected ? undefined : say(c.red(exitLine(e)));
        case 'notice':
          return say(`digits: ${e.message}`);
        case 'stopping':
          return say(c.yellow(stoppingLine(e)));
        default:
          return;
      }
    },
    stop,
  };
}

/** A trial another process trains: this one waits, and takes it over if that process dies. */
function waitingLine(e: Extract<RunnerEvent, { type: 'trial-elsewhere' }>): string {
  return `waiting for "${e.trial.name}": ${e.reason}`;
}

/** Trials' worth of work done: the ended trials plus the running ones' shares. */
function workDone(s: GridState): number {
  return s.done + s.failed + s.interrupted + s.busyWorkers().reduce((sum, w) => sum + w.fraction, 0);
}

/** "1/4 done, 0 failed, 3 left" */
function countsText(s: GridState): string {
  return `${s.done}/${s.toRun} done, ${s.failed} failed, ${s.left} left`;
}

/**
 * "1/4 done, 0 failed, 3 left | 1m02s elapsed | ETA 1m10s". No colour inside bar lines: cli-progress
 * cuts a line at the terminal's width counting escape codes as characters, and could split one.
 */
function totalText(s: GridState): string {
  const eta = s.etaSeconds();
  return `${countsText(s)} | ${duration(s.elapsedSeconds)} elapsed | ETA ${eta === null ? '-' : duration(eta)}`;
}

/** "epoch 2/3 batch 40/141 | 1234 img/s | val_acc 0.9812 | lr=0.001" (member first for ensembles). */
function workerText(w: WorkerState): string {
  if (w.trial === null) return 'idle';
  if (w.epochs === 0) return `starting | ${w.trial}`;
  const member = w.member === null ? '' : `member ${w.member + 1} `;
  const ips = w.imagesPerSec === null ? '-' : String(Math.round(w.imagesPerSec));
  return `${member}epoch ${w.epoch}/${w.epochs} batch ${w.batch}/${w.batches} | ${ips} img/s | val_acc ${fixed(w.valAccuracy)} | ${w.trial}`;
}

/** The status line without a terminal: the totals, then each busy worker. */
function statusLine(s: GridState): string {
  const eta = s.etaSeconds();
  const head = `status: ${countsText(s)}, ${duration(s.elapsedSeconds)} elapsed, ETA ${eta === null ? '-' : duration(eta)}`;
  return [head, ...s.busyWorkers().map((w) => `worker ${w.worker} ${workerText(w)}`)].join(' || ');
}

function planLine(e: Extract<RunnerEvent, { type: 'plan' }>): string {
  const parts = [`${e.experiment}: ${e.total} trial${e.total === 1 ? '' : 's'}`];
  if (e.alreadyFinished) parts.push(`${e.alreadyFinished} already finished`);
  if (e.runningElsewhere.length) parts.push(`${e.runningElsewhere.length} running in another process`);
  if (e.staleMarked.length) parts.push(`${e.staleMarked.length} stale run${e.staleMarked.length === 1 ? '' : 's'} marked interrupted`);
  if (e.toRun) parts.push(`${e.toRun} to run${e.resumed ? ` (${e.resumed} resumed)` : ''} on ${e.workers} worker${e.workers === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function startLine(e: Extract<RunnerEvent, { type: 'trial-start' }>): string {
  return `worker ${e.worker} (pid ${e.pid}): ${e.resumed ? 'resuming' : 'starting'} "${e.trial.name}" as run ${e.runId}`;
}

function endLine(r: TrialResult, c: Colours): string {
  if (r.status === 'finished') {
    return `${c.green('finished')} "${r.trial.name}" (run ${r.runId}): val ${fixed(r.valAccuracy)} test ${fixed(r.testAccuracy)} in ${duration(r.wallSeconds)}`;
  }
  if (r.status === 'interrupted') return `${c.yellow('interrupted')} "${r.trial.name}" (run ${r.runId})`;
  return `${c.red('FAILED')} "${r.trial.name}" (run ${r.runId}): ${(r.error ?? '').split('\n')[0]}`;
}

function stoppingLine(e: Extract<RunnerEvent, { type: 'stopping' }>): string {
  return `digits: ${e.reason}${e.interrupt ? ' (Ctrl-C again to quit at once)' : ''}`;
}

function exitLine(e: Extract<RunnerEvent, { type: 'worker-exit' }>): string {
  const how = e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
  const lost = e.lostTrial ? `; its trial "${e.lostTrial.name}" was marked interrupted${e.requeued ? ' and re-queued' : ''}` : '';
  const tail = e.stderrTail.trim() ? `\n  last output: ${e.stderrTail.trim().split('\n').slice(-3).join('\n  ')}` : '';
  return `worker ${e.worker} (pid ${e.pid}) ${how}${lost}${tail}`;
}
