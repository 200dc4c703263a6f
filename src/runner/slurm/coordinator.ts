/**
 * The coordinator of a grid on Slurm: plans like a local grid (finished trials skipped by hash),
 * attaches to tasks an earlier `digits run` left in Slurm, submits the rest as job arrays, then
 * watches: squeue for the tasks' states, the run journals for their progress, imported into the
 * store as they come. Ctrl-C (the abort signal) detaches without cancelling anything.
 */
import type { Trial } from '../../config';
import { importJournals, journalPath, openStore, readJournal, replayJournal, type KnownRun, type Run, type SqliteStore } from '../../tracking';
import type { GridResult, RunnerEvent, TrialResult } from '../events';
import { planGrid } from '../plan';
import type { GridOptions } from '../run-grid';
import { leaseTiming } from '../timing';
import type { SlurmSettings } from './options';
import { isLive, type TaskState } from './squeue';
import { liveSubmissions, parseSubmission, resumableRun, submitTrials, type Tracked } from './submit';
import * as slurmTools from './tools';

export interface SlurmGridOptions extends GridOptions {
  settings: SlurmSettings;
  /** Seconds between looks at squeue and the journals (default 2). */
  pollSeconds?: number;
  /** Seconds a task must stay out of Slurm's live states before it counts as ended (default 10). */
  goneAfterSeconds?: number;
  /** Slurm's commands; tests may pass others. */
  tools?: typeof slurmTools;
}

/**
 * A task out of Slurm's live states for this many looks in a row, and at least GONE_AFTER_MS, has
 * ended: a requeue after a node failure passes through states that look final for a moment.
 */
const GONE_AFTER_POLLS = 3;
const GONE_AFTER_SECONDS = 10;

interface Watched extends Tracked {
  epochsSeen: number;
  owner: string | null;
  goneFor: number;
  goneSince: number;
  ended: boolean;
}

/** Submits (or re-attaches to) the grid's trials on Slurm and watches them until each has ended or the caller detaches. */
export async function runSlurmGrid(options: SlurmGridOptions): Promise<GridResult> {
  const store = openStore(options.dbFile);
  try {
    return await coordinate(options, store);
  } finally {
    store.close();
  }
}

async function coordinate(options: SlurmGridOptions, store: SqliteStore): Promise<GridResult> {
  const tools = options.tools ?? slurmTools;
  const emit = (e: RunnerEvent) => options.onEvent?.(e);
  const timing = leaseTiming(options);
  importJournals(store, options.runsDir);
  const staleMarked = store.markStaleRuns({ heartbeatSeconds: timing.staleAfterSeconds });
  const plan = planGrid(store, options.trials, { fresh: options.fresh });
  // Tasks of an earlier submission that Slurm still holds (planGrid counts their runs as running elsewhere or resumable).
  const candidates = [...plan.toRun.map((q) => q.trial), ...plan.runningElsewhere];
  const earlierJobs = [...new Set(candidates.map((t) => resumableRun(store, t)).map((r) => (r && parseSubmission(r)?.arrayJobId) ?? '').filter(Boolean))];
  const tasks = await tools.squeue(earlierJobs);
  const attached = liveSubmissions(store, candidates, tasks);
  const elsewhere: string[] = [];
  const toSubmit = candidates.filter((t) => {
    if (attached.has(t.hash)) return false;
    const run = resumableRun(store, t);
    if (run?.status !== 'running') return true;
    if (!parseSubmission(run)) {
      elsewhere.push(t.name); // a local `digits run` trains it
      return false;
    }
    store.endRun(run.id, 'interrupted', `interrupted: its Slurm task ${parseSubmission(run)?.key} is no longer queued or running`);
    return true;
  });
  const resume = new Map<string, Run>();
  for (const t of toSubmit) {
    const run = resumableRun(store, t);
    if (run && run.status !== 'running') resume.set(t.hash, run);
  }
  emit({
    type: 'plan', experiment: options.experiment, total: options.trials.length, alreadyFinished: plan.alreadyFinished.length,
    runningElsewhere: elsewhere, toRun: candidates.length - elsewhere.length, resumed: resume.size + attached.size,
    workers: Math.min(options.settings.tasksAtOnce ?? candidates.length, candidates.length - elsewhere.length), staleMarked,
  });
  const watched: Watched[] = [...attached.values()].map(({ run, submission }) => ({
    trial: options.trials.find((t) => t.hash === run.trialHash) as Trial, runId: run.id, key: submission.key,
    arrayIndex: Number(submission.key.split('_')[1]), resumed: true, epochsSeen: 0, owner: null, goneFor: 0, goneSince: 0, ended: false,
  }));
  if (attached.size) emit({ type: 'notice', message: `attached to ${attached.size} task${attached.size === 1 ? '' : 's'} already in Slurm (${[...new Set([...attached.values()].map((a) => a.submission.arrayJobId))].join(', ')})` });
  if (toSubmit.length) {
    const submitted = await submitTrials({
      store, experiment: options.experiment, trials: toSubmit, runsDir: options.runsDir, dataDir: options.dataDir, settings: options.settings,
      heartbeatSeconds: timing.heartbeatSeconds, maxArraySize: await tools.maxArraySize(), liveArrayJobs: earlierJobs.filter((j) => tasks.some((t) => t.arrayJobId === j && isLive(t.state))),
      known: knownRuns(store, options.trials), resume, tags: options.tags, sbatch: tools.sbatch,
    });
    watched.push(...submitted.map((s) => ({ ...s, epochsSeen: 0, owner: null, goneFor: 0, goneSince: 0, ended: false })));
    const jobs = [...new Set(submitted.map((s) => s.key.split('_')[0]))];
    emit({ type: 'notice', message: `submitted ${submitted.length} task${submitted.length === 1 ? '' : 's'} as Slurm job${jobs.length === 1 ? '' : 's'} ${jobs.join(', ')}` });
  }
  const results: TrialResult[] = [];
  const detached = await watch(options, store, tools, watched, results, emit);
  const order = new Map(options.trials.map((t, i) => [t.hash, i]));
  results.sort((a, b) => (order.get(a.trial.hash) ?? 0) - (order.get(b.trial.hash) ?? 0));
  return {
    experiment: options.experiment, total: options.trials.length, alreadyFinished: plan.alreadyFinished.length, runningElsewhere: elsewhere,
    results, interrupted: detached, fatal: null, detached,
  };
}

/** Finished runs the grid's ensembles may combine ({trial} members' hashes, {run} members' ids). */
function knownRuns(store: SqliteStore, trials: Trial[]): KnownRun[] {
  const known: KnownRun[] = [];
  for (const t of trials) {
    if (t.spec.model.kind !== 'ensemble') continue;
    for (const m of t.spec.model.members) {
      if ('trial' in m && m.hash) {
        for (const r of store.findByHash(m.hash).filter((x) => x.status === 'finished')) known.push({ id: r.id, hash: r.trialHash, status: 'finished' });
      } else if ('run' in m) {
        let id: string;
        try {
          id = store.resolveRunId(m.run);
        } catch {
          continue; // the task says so when it combines the ensemble: that trial fails, the grid goes on
        }
        const r = store.getRun(id);
        if (r?.status === 'finished') known.push({ id, hash: r.trialHash, status: 'finished', aliases: [m.run] });
      }
    }
  }
  return known;
}

/** Polls until every watched trial has ended, or the caller aborts (true: detached). */
async function watch(options: SlurmGridOptions, store: SqliteStore, tools: typeof slurmTools, watched: Watched[], results: TrialResult[], emit: (e: RunnerEvent) => void): Promise<boolean> {
  const pollMs = (options.pollSeconds ?? 2) * 1000;
  const jobs = () => [...new Set(watched.filter((w) => !w.ended).map((w) => w.key.split('_')[0]))];
  while (watched.some((w) => !w.ended)) {
    if (options.signal?.aborted) return true;
    const tasks = new Map((await tools.squeue(jobs())).map((t) => [t.key, t]));
    importJournals(store, options.runsDir, { runIds: watched.filter((w) => !w.ended).map((w) => w.runId), force: true });
    for (const w of watched.filter((x) => !x.ended)) {
      const result = observe(options, store, w, tasks.get(w.key), emit);
      if (result) {
        w.ended = true;
        results.push(result);
        emit({ type: 'trial-end', result, left: watched.filter((x) => !x.ended).length });
      }
    }
    if (!watched.some((w) => !w.ended)) break;
    await sleep(pollMs, options.signal);
  }
  return false;
}

/** One look at a trial: progress events, and its result once it has ended. */
function observe(options: SlurmGridOptions, store: SqliteStore, w: Watched, task: TaskState | undefined, emit: (e: RunnerEvent) => void): TrialResult | null {
  const state = replayJournal(readJournal(journalPath(options.runsDir, w.runId)));
  const worker = w.arrayIndex + 1;
  const ownerKey = state.owner ? `${state.owner.attempt}.${state.owner.restart}` : null;
  if (state.owner && ownerKey !== w.owner) {
    w.owner = ownerKey;
    w.epochsSeen = 0;
    emit({ type: 'trial-start', worker, pid: state.owner.pid, trial: w.trial, runId: w.runId, resumed: w.resumed || state.owner.restart > 0 });
  }
  for (const metrics of state.epochs.slice(w.epochsSeen)) emit({ type: 'epoch', worker, runId: w.runId, member: null, metrics });
  w.epochsSeen = Math.max(w.epochsSeen, state.epochs.length);
  const base = { trial: w.trial, runId: w.runId, worker, valAccuracy: null, testAccuracy: null, trainSeconds: null, wallSeconds: null };
  if (state.status === 'finished' && state.result) {
    const r = state.result;
    // Wall time of the attempt that finished, from its journal: start to its last event (data loading, training, evaluation, writing).
    const wallSeconds = state.startedAt && state.lastAt ? (Date.parse(state.lastAt) - Date.parse(state.startedAt)) / 1000 : null;
    return { ...base, status: 'finished', error: null, valAccuracy: r.validation.accuracy, testAccuracy: r.test.accuracy, trainSeconds: r.summary.trainSeconds, wallSeconds };
  }
  if (state.status === 'failed') return { ...base, status: 'failed', error: state.error };
  if (task && isLive(task.state)) w.goneFor = 0;
  else if (w.goneFor++ === 0) w.goneSince = Date.now();
  if (w.goneFor < GONE_AFTER_POLLS || Date.now() - w.goneSince < (options.goneAfterSeconds ?? GONE_AFTER_SECONDS) * 1000) return null;
  // Slurm no longer holds the task and its journal has no final word: interrupted (run again to resume).
  const how = task ? `Slurm ended ${w.key} as ${task.state}${task.reason && task.reason !== 'None' ? ` (${task.reason})` : ''}` : `${w.key} left Slurm's queue`;
  const run = store.getRun(w.runId);
  if (run && (run.status === 'queued' || run.status === 'running')) store.endRun(w.runId, 'interrupted', `interrupted: ${how}`);
  return { ...base, status: 'interrupted', error: state.error ?? how };
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
