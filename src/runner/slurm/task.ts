/**
 * Entry point of one Slurm array task (the batch script exec's `node dist/runner/slurm/task.js
 * <manifest> <offset>`). Trains the trial at index offset + SLURM_ARRAY_TASK_ID into its run and
 * records everything in the run's journal; never opens the database.
 *
 * Signals: TERM (node failure, preemption, scancel) stops after the current batch and records the
 * run interrupted; Slurm requeues the task itself after a node failure or preemption (--requeue).
 * USR1 (the time-limit warning) does the same, then requeues the task from inside, up to
 * maxRestarts times; after that the run is recorded failed with the reason.
 */
import os from 'node:os';
import { loadMnist } from '../../data';
import { selectBackend } from '../../engine';
import { collectProvenance, trainAndRecord, trainEnsembleAndRecord } from '../../train';
import { appendEvent, compareAttempts, FencedError, JournalStore, journalPath, readJournal, replayJournal, type AttemptInfo } from '../../tracking';
import { readManifest, type Manifest, type ManifestTrial } from './manifest';
import { requeue } from './tools';

function log(line: string): void {
  process.stdout.write(`[digits task ${new Date().toISOString()}] ${line}\n`);
}

/** The attempt this process is, from Slurm's environment. */
export function attemptFromEnv(entry: ManifestTrial, env: NodeJS.ProcessEnv = process.env): AttemptInfo {
  const job = env.SLURM_ARRAY_JOB_ID && env.SLURM_ARRAY_TASK_ID ? `${env.SLURM_ARRAY_JOB_ID}_${env.SLURM_ARRAY_TASK_ID}` : null;
  return { attempt: entry.attempt, restart: Number(env.SLURM_RESTART_COUNT ?? 0) || 0, host: os.hostname(), pid: process.pid, slurmJob: job };
}

/** Runs the task; resolves with the process exit code. */
export async function taskMain(manifestFile: string, offset: number, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const manifest = readManifest(manifestFile);
  const index = offset + Number(env.SLURM_ARRAY_TASK_ID ?? 0);
  const entry = manifest.trials[index];
  if (!entry) throw new Error(`array index ${index} is past the manifest's ${manifest.trials.length} trials (${manifestFile})`);
  const who = attemptFromEnv(entry, env);
  const file = journalPath(manifest.runsDir, entry.runId);
  const before = replayJournal(readJournal(file));
  log(`trial "${entry.trial.name}" run ${entry.runId} attempt ${who.attempt}.${who.restart} on ${who.host} pid ${who.pid} (${who.slurmJob ?? 'no Slurm job'})`);
  if (before.status === 'finished') {
    log('already finished: nothing to do');
    return 0;
  }
  if (before.owner && compareAttempts(before.owner, who) > 0) {
    log(`a newer attempt (${before.owner.attempt}.${before.owner.restart}) owns the run: nothing to do`);
    return 0;
  }
  const store = new JournalStore(manifest.runsDir, entry.runId, who, manifest.known);
  const controller = new AbortController();
  let requeueAfter = false;
  process.on('SIGTERM', () => {
    store.interruptReason = `interrupted: Slurm stopped ${who.slurmJob ?? 'the task'} (SIGTERM: node failure, preemption or scancel)`;
    controller.abort();
  });
  process.on('SIGUSR1', () => onTimeLimit(manifest, who, store, () => (requeueAfter = true), controller));
  const heartbeat = setInterval(() => safely(() => store.heartbeat(entry.runId)), manifest.heartbeatSeconds * 1000);
  try {
    const engine = await selectBackend();
    const mnist = await loadMnist({ dataDir: manifest.dataDir });
    const common = { spec: entry.trial.spec, mnist, runsDir: manifest.runsDir, provenance: collectProvenance(engine), store, runId: entry.runId, signal: controller.signal };
    const onResumed = (epoch: number) => log(`going on from the run's checkpoint: epoch ${epoch} of ${entry.trial.spec.train.epochs}`);
    const run = entry.trial.spec.model.kind === 'ensemble' ? await trainEnsembleAndRecord(common) : await trainAndRecord({ ...common, onResumed });
    log(`run ${entry.runId} ${run.status}${run.test ? ` (test accuracy ${run.test.accuracy.toFixed(4)})` : ''}`);
  } catch (err) {
    if (err instanceof FencedError || store.fenced) {
      log(String((err as Error).message));
      return 0;
    }
    if (!before.owner && !isStarted(file, who)) recordStartupFailure(file, who, err);
    log(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return 1;
  } finally {
    clearInterval(heartbeat);
  }
  if (requeueAfter && who.slurmJob) {
    log(`time limit near: requeueing ${who.slurmJob} (restart ${who.restart + 1} of ${manifest.maxRestarts})`);
    await requeue(who.slurmJob);
  }
  return 0;
}

/** USR1: stop after the current batch, then requeue, or fail once the restarts are used up. */
function onTimeLimit(manifest: Manifest, who: AttemptInfo, store: JournalStore, willRequeue: () => void, controller: AbortController): void {
  const limit = manifest.timeLimit ?? "the partition's limit";
  if (who.slurmJob && who.restart < manifest.maxRestarts) {
    store.interruptReason = `interrupted: time limit (${limit}) near; requeued (restart ${who.restart + 1} of ${manifest.maxRestarts})`;
    willRequeue();
  } else {
    store.failInsteadOfInterrupt = `reached the time limit (${limit}) after ${who.restart} restart${who.restart === 1 ? '' : 's'} ` +
      '(training starts over on each restart); raise --time-limit, or --max-restarts, or train fewer epochs';
  }
  controller.abort();
}

function isStarted(file: string, who: AttemptInfo): boolean {
  return readJournal(file).some((e) => e.type === 'started' && compareAttempts(e, who) === 0);
}

/** A task that could not even start (MNIST missing, a bad path): recorded failed so the coordinator can say why. */
function recordStartupFailure(file: string, who: AttemptInfo, err: unknown): void {
  const provenance = { backend: 'none', versions: { node: process.version }, gitCommit: null, gitDirty: null, lockfileHash: null, dataHash: null, host: who.host, pid: who.pid };
  safely(() => {
    appendEvent(file, who, { type: 'started', host: who.host, pid: who.pid, slurmJob: who.slurmJob, provenance, artifactDir: file.replace(/\/[^/]+$/, '') });
    appendEvent(file, who, { type: 'failed', error: `the task could not start on ${who.host}: ${err instanceof Error ? err.message : String(err)}` });
  });
}

function safely(fn: () => void): void {
  try {
    fn();
  } catch {
    // a missed heartbeat (busy filesystem, or fenced: the next write says so) is not worth a crash
  }
}

if (require.main === module) {
  taskMain(process.argv[2], Number(process.argv[3] ?? 0)).then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`digits task: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
