/**
 * What `digits run` shows while a grid trains: overall progress (done, failed, left, ETA) and each
 * worker's trial with its epoch/batch. On a TTY a few lines redrawn in place (at most 4 times a
 * second); otherwise one plain line per event (worker start/exit, epoch, trial end).
 */
import type { RunnerEvent, TrialResult } from '../runner';
import { duration, fixed } from './format/values';

export interface RunView {
  onEvent(event: RunnerEvent): void;
  /** Removes the live lines (before the final summary is printed). */
  stop(): void;
}

interface WorkerLine {
  trial: string;
  detail: string;
}

const REDRAW_MS = 250;

/** A view writing to `stream` (stderr by default); a live block on a TTY, plain lines otherwise. */
export function createRunView(stream: NodeJS.WriteStream = process.stderr): RunView {
  const tty = Boolean(stream.isTTY);
  const state = { total: 0, done: 0, failed: 0, interrupted: 0, toRun: 0, started: Date.now(), workers: new Map<number, WorkerLine>(), names: new Map<string, string>() };
  let drawn = 0;
  let lastDraw = 0;
  const clear = () => {
    if (drawn > 0) stream.write(`\x1b[${drawn}A\x1b[0J`);
    drawn = 0;
  };
  const draw = (force = false) => {
    if (!tty || (!force && Date.now() - lastDraw < REDRAW_MS)) return;
    lastDraw = Date.now();
    clear();
    const width = stream.columns || 100;
    const lines = [progressLine(state), ...[...state.workers.entries()].sort(([a], [b]) => a - b).map(([i, w]) => `  worker ${i}: ${w.trial}  ${w.detail}`)];
    for (const line of lines) stream.write(line.slice(0, width - 1) + '\n');
    drawn = lines.length;
  };
  const say = (line: string) => {
    clear();
    stream.write(line + '\n');
    draw(true);
  };
  return {
    onEvent(e) {
      switch (e.type) {
        case 'plan':
          Object.assign(state, { total: e.total, toRun: e.toRun, started: Date.now() });
          return say(planLine(e));
        case 'worker-ready':
          state.workers.set(e.worker, { trial: '(idle)', detail: '' });
          return tty ? draw(true) : say(`worker ${e.worker} (pid ${e.pid}) ready on ${e.backend} in ${e.startupSeconds.toFixed(1)} s`);
        case 'trial-start':
          state.names.set(e.runId, e.trial.name);
          state.workers.set(e.worker, { trial: e.trial.name, detail: 'starting' });
          return tty ? draw(true) : say(`worker ${e.worker} (pid ${e.pid}): ${e.resumed ? 'resuming' : 'starting'} "${e.trial.name}" as run ${e.runId}`);
        case 'batch': {
          const member = e.member === null ? '' : `member ${e.member + 1} `;
          state.workers.set(e.worker, { trial: state.names.get(e.runId) ?? e.runId, detail: `${member}epoch ${e.epoch}/${e.epochs} batch ${e.batch}/${e.batches}` });
          return draw();
        }
        case 'epoch': {
          const m = e.metrics;
          const text = `${e.member === null ? '' : `member ${e.member + 1} `}epoch ${m.epoch} val_acc ${fixed(m.valAccuracy)} ${Math.round(m.imagesPerSec)} img/s`;
          state.workers.set(e.worker, { trial: state.names.get(e.runId) ?? e.runId, detail: text });
          return tty ? draw(true) : say(`worker ${e.worker}: "${state.names.get(e.runId) ?? e.runId}" ${text}`);
        }
        case 'trial-end':
          count(state, e.result);
          if (e.result.worker !== null) state.workers.set(e.result.worker, { trial: '(idle)', detail: '' });
          return say(`${endLine(e.result)}  [${progressLine(state)}]`);
        case 'trial-skipped':
          state.toRun -= 1;
          return say(`skipped "${e.trial.name}": ${e.reason}`);
        case 'worker-exit':
          state.workers.delete(e.worker);
          if (e.expected) return draw(true);
          return say(exitLine(e));
        case 'stopping':
          return say(`digits: ${e.reason}${e.interrupt ? ' (Ctrl-C again to quit at once)' : ''}`);
      }
    },
    stop: clear,
  };
}

function count(state: { done: number; failed: number; interrupted: number }, r: TrialResult): void {
  if (r.status === 'finished') state.done += 1;
  else if (r.status === 'failed') state.failed += 1;
  else state.interrupted += 1;
}

/** "2/4 done, 1 failed, 1 left, ETA 1m 20s" for the trials this grid runs. */
function progressLine(s: { toRun: number; done: number; failed: number; interrupted: number; started: number; workers: Map<number, WorkerLine> }): string {
  const ended = s.done + s.failed + s.interrupted;
  const left = Math.max(0, s.toRun - ended);
  const elapsed = (Date.now() - s.started) / 1000;
  const eta = ended > 0 && left > 0 ? ` ETA ${duration((elapsed / ended) * left)}` : '';
  return `${s.done}/${s.toRun} done, ${s.failed} failed, ${left} left, ${duration(elapsed)} elapsed${eta}`;
}

function planLine(e: Extract<RunnerEvent, { type: 'plan' }>): string {
  const parts = [`${e.experiment}: ${e.total} trial${e.total === 1 ? '' : 's'}`];
  if (e.alreadyFinished) parts.push(`${e.alreadyFinished} already finished`);
  if (e.runningElsewhere.length) parts.push(`${e.runningElsewhere.length} running in another process`);
  if (e.staleMarked.length) parts.push(`${e.staleMarked.length} stale run${e.staleMarked.length === 1 ? '' : 's'} marked interrupted`);
  if (e.toRun) parts.push(`${e.toRun} to run${e.resumed ? ` (${e.resumed} resumed)` : ''} on ${e.workers} worker${e.workers === 1 ? '' : 's'}`);
  return parts.join(', ');
}

function endLine(r: TrialResult): string {
  if (r.status === 'finished') {
    return `finished "${r.trial.name}" (run ${r.runId}): val ${fixed(r.valAccuracy)} test ${fixed(r.testAccuracy)} in ${duration(r.wallSeconds)}`;
  }
  if (r.status === 'interrupted') return `interrupted "${r.trial.name}" (run ${r.runId})`;
  return `FAILED "${r.trial.name}" (run ${r.runId}): ${(r.error ?? '').split('\n')[0]}`;
}

function exitLine(e: Extract<RunnerEvent, { type: 'worker-exit' }>): string {
  const how = e.signal ? `was killed by ${e.signal}` : `exited with code ${e.code}`;
  const lost = e.lostTrial ? `; its trial "${e.lostTrial.name}" was marked interrupted${e.requeued ? ' and re-queued' : ''}` : '';
  const tail = e.stderrTail.trim() ? `\n  last output: ${e.stderrTail.trim().split('\n').slice(-3).join('\n  ')}` : '';
  return `worker ${e.worker} (pid ${e.pid}) ${how}${lost}${tail}`;
}
