/**
 * Submitting a grid to Slurm: which trials need a (new) array task, the manifest and batch script
 * on the shared filesystem, and the sbatch calls. Trials whose task is still queued or running in
 * Slurm from an earlier `digits run` are attached to, not submitted again.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Trial } from '../../config';
import type { KnownRun, Run, TrackingStore } from '../../tracking';
import { writeManifest, type Manifest, type ManifestTrial } from './manifest';
import { DEFAULT_MAX_RESTARTS, type SlurmSettings } from './options';
import { arrayChunks, batchScript, sbatchArgs } from './sbatch';
import { isLive, type TaskState } from './squeue';

/** The tag the coordinator sets on a run when it submits it: "<attempt> <array job id>_<index>". */
export const SUBMISSION_TAG = 'slurm_submission';

export interface Submission {
  attempt: number;
  key: string;
  arrayJobId: string;
}

export function parseSubmission(run: Run): Submission | null {
  const m = (run.tags[SUBMISSION_TAG] ?? '').match(/^(\d+) ((\d+)_\d+)$/);
  return m ? { attempt: Number(m[1]), key: m[2], arrayJobId: m[3] } : null;
}

/** One trial the coordinator watches: its run and the Slurm array task that trains it. */
export interface Tracked {
  trial: Trial;
  runId: string;
  key: string;
  arrayIndex: number;
  resumed: boolean;
}

/** The newest non-final run of the trial (in this experiment), if any. */
export function resumableRun(store: TrackingStore, trial: Trial): Run | null {
  const runs = store.findByHash(trial.hash).filter((r) => (r.status === 'interrupted' || r.status === 'queued' || r.status === 'running') && r.experiment === trial.experiment);
  return runs.length ? runs[runs.length - 1] : null;
}

/** Ensembles that combine trials of the grid wait for them: stage 1; everything else stage 0. */
function stageOf(trial: Trial): number {
  return trial.spec.model.kind === 'ensemble' && trial.spec.model.members.some((m) => 'trial' in m) ? 1 : 0;
}

export interface SubmitInput {
  store: TrackingStore;
  experiment: string;
  trials: Trial[];
  runsDir: string;
  dataDir?: string;
  settings: SlurmSettings;
  heartbeatSeconds: number;
  maxArraySize: number;
  /** Live array jobs of this grid already in Slurm (ensembles must wait for them too). */
  liveArrayJobs: string[];
  /** Runs the tasks' ensembles may read (finished members, this grid's runs). */
  known: KnownRun[];
  /** Runs to train into (resumed) by trial hash; the rest get new runs. */
  resume: Map<string, Run>;
  tags?: Record<string, string>;
  /** The node command and task entry on the cluster nodes (default: this node, dist/runner/slurm/task.js). */
  node?: string;
  sbatch: (args: string[]) => Promise<string>;
}

/** Creates or reuses the runs, writes the manifest and script, submits the arrays; returns what it submitted. */
export async function submitTrials(input: SubmitInput): Promise<Tracked[]> {
  const { store } = input;
  const ordered = [...input.trials].sort((a, b) => stageOf(a) - stageOf(b));
  const entries: ManifestTrial[] = ordered.map((trial) => {
    const old = input.resume.get(trial.hash);
    const runId = old?.id ?? store.createRun({ experiment: trial.experiment, name: trial.name, trialHash: trial.hash, spec: trial.spec, seed: trial.spec.seed }).id;
    if (!old && input.tags) store.setTags(runId, input.tags);
    const attempt = old ? Math.max(parseSubmission(old)?.attempt ?? 0, Number(old.tags.attempt ?? 0)) + 1 : 1;
    return { runId, attempt, trial };
  });
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
  const dir = path.join(input.runsDir, 'slurm', `${input.experiment}-${stamp}-${process.pid}`);
  const manifestFile = path.join(dir, 'manifest.json');
  const known = [...input.known, ...entries.map((e): KnownRun => ({ id: e.runId, hash: e.trial.hash, status: 'pending' }))];
  const manifest: Manifest = {
    version: 1, experiment: input.experiment, runsDir: path.resolve(input.runsDir), dataDir: input.dataDir && path.resolve(input.dataDir),
    heartbeatSeconds: input.heartbeatSeconds, maxRestarts: input.settings.maxRestarts ?? DEFAULT_MAX_RESTARTS,
    timeLimit: input.settings.timeLimit ?? null, trials: entries, known,
  };
  writeManifest(manifestFile, manifest);
  const script = path.join(dir, 'task.sh');
  fs.writeFileSync(script, batchScript({ node: input.node ?? process.execPath, taskEntry: taskEntry(), manifest: manifestFile, cwd: path.resolve(input.runsDir) }), { mode: 0o755 });
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const counts = [0, 1].map((s) => ordered.filter((t) => stageOf(t) === s).length);
  const tracked: Tracked[] = [];
  const submittedByStage: string[][] = [[], []];
  for (const chunk of arrayChunks(counts, input.maxArraySize)) {
    if (chunk.size === 0) continue;
    const after = chunk.stage === 0 ? [] : [...submittedByStage[0], ...input.liveArrayJobs];
    const jobId = await input.sbatch(sbatchArgs({ settings: input.settings, jobName: `digits-${input.experiment}`, chunk, logDir: path.join(dir, 'logs'), after, script }));
    submittedByStage[chunk.stage].push(jobId);
    for (let i = 0; i < chunk.size; i++) {
      const entry = entries[chunk.offset + i];
      const key = `${jobId}_${i}`;
      store.setTags(entry.runId, { [SUBMISSION_TAG]: `${entry.attempt} ${key}` });
      tracked.push({ trial: entry.trial, runId: entry.runId, key, arrayIndex: chunk.offset + i, resumed: input.resume.has(entry.trial.hash) });
    }
  }
  return tracked;
}

/** The command that runs a task: compiled JS when built, else the TypeScript file through ts-node (tests). */
export function taskEntry(): string[] {
  const js = path.join(__dirname, 'task.js');
  if (fs.existsSync(js)) return [js];
  return ['-r', require.resolve('ts-node/register/transpile-only'), path.join(__dirname, 'task.ts')];
}

/** Trials whose run was submitted earlier and whose Slurm task is still queued or running. */
export function liveSubmissions(store: TrackingStore, trials: Trial[], tasks: TaskState[]): Map<string, { run: Run; submission: Submission }> {
  const live = new Map(tasks.filter((t) => isLive(t.state)).map((t) => [t.key, t]));
  const out = new Map<string, { run: Run; submission: Submission }>();
  for (const trial of trials) {
    const run = resumableRun(store, trial);
    const submission = run && parseSubmission(run);
    if (run && submission && live.has(submission.key)) out.set(trial.hash, { run, submission });
  }
  return out;
}
