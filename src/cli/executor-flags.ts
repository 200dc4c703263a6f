/** `digits run --executor`: choosing where a grid trains, the Slurm flags, and `--cancel`. */
import type { Argv } from 'yargs';
import type { Experiment } from '../config';
import { UserError } from '../errors';
import { checkSlurmSettings, EXECUTORS, isLive, localExecutor, parseSubmission, slurmExecutor, slurmTools, type Executor, type SlurmSettings } from '../runner';
import { importJournals, openStore } from '../tracking';
import { flagName } from './format/argv';

export interface ExecutorFlags {
  executor?: string;
  partition?: string;
  timeLimit?: string;
  cpusPerTask?: number;
  tasksAtOnce?: number;
  sbatchArg?: string[];
  maxRestarts?: number;
  cancel?: boolean;
}

export function withExecutorOptions<T>(y: Argv<T>) {
  return y
    .option('executor', { type: 'string', choices: EXECUTORS, describe: "Where trials train: local worker processes (default) or a Slurm job array (default: the experiment's executor.kind)" })
    .option('partition', { type: 'string', describe: 'Slurm: partition (sbatch --partition)' })
    .option('time-limit', { type: 'string', describe: 'Slurm: time limit per task, e.g. 90 (minutes) or 2:00:00 (sbatch --time)' })
    .option('cpus-per-task', { type: 'number', describe: 'Slurm: CPUs per task (default 1)' })
    .option('tasks-at-once', { type: 'number', describe: 'Slurm: array tasks running at once (the %K of --array)' })
    .option('sbatch-arg', { type: 'string', array: true, describe: 'Slurm: one more sbatch argument, repeatable, e.g. --sbatch-arg=--mem=4G' })
    .option('max-restarts', { type: 'number', describe: 'Slurm: requeues after a time-limit warning before a trial is recorded failed (default 2)' })
    .option('cancel', { type: 'boolean', describe: "Slurm: cancel the experiment's queued and running tasks (scancel) instead of running" });
}

/** Flags over the experiment's `executor:` block over the defaults. */
export function slurmSettings(flags: ExecutorFlags, experiment: Experiment): SlurmSettings {
  const block = experiment.executor ?? {};
  const settings: SlurmSettings = {
    partition: flags.partition ?? block.partition,
    timeLimit: flags.timeLimit ?? block.timeLimit,
    cpusPerTask: flags.cpusPerTask ?? block.cpusPerTask,
    tasksAtOnce: flags.tasksAtOnce ?? block.tasksAtOnce,
    extraArgs: flags.sbatchArg ?? block.extraArgs,
    graceSeconds: block.graceSeconds,
    maxRestarts: flags.maxRestarts ?? block.maxRestarts,
  };
  return checkSlurmSettings(settings, 'digits run');
}

/** The executor named by --executor, else by the experiment's executor.kind, else local. */
export function chooseExecutor(flags: ExecutorFlags, experiment: Experiment): Executor {
  const name = flags.executor ?? experiment.executor?.kind ?? 'local';
  if (name === 'local') {
    const slurmOnly = (['partition', 'timeLimit', 'cpusPerTask', 'tasksAtOnce', 'sbatchArg', 'maxRestarts', 'cancel'] as const).filter((k) => flags[k] !== undefined);
    if (slurmOnly.length) {
      const flag = flagName(slurmOnly[0]);
      throw new UserError(`${flag} ${JSON.stringify(flags[slurmOnly[0]])} applies to Slurm only, and trials run locally here; add --executor slurm (or drop ${flag})`);
    }
    return localExecutor();
  }
  const poll = Number(process.env.DIGITS_SLURM_POLL_SECONDS);
  return slurmExecutor(slurmSettings(flags, experiment), Number.isFinite(poll) && poll > 0 ? { pollSeconds: poll } : {});
}

/** What to tell a user who detached from a Slurm grid. */
export function detachedHint(file: string): string {
  return `detached: the Slurm tasks go on without this process.\n` +
    `  re-attach (imports what finished, resubmits only what did not): digits run ${file} --executor slurm\n` +
    `  cancel the tasks: digits run ${file} --executor slurm --cancel\n`;
}

/** scancel for every queued or running task of the experiment's trials; returns the lines to print. */
export async function cancelSlurmGrid(experiment: Experiment, dbFile: string, runsDir: string): Promise<string> {
  const store = openStore(dbFile);
  try {
    importJournals(store, runsDir);
    const hashes = new Set(experiment.trials.map((t) => t.hash));
    const runs = store.listRuns({ experiment: [experiment.name], status: ['queued', 'running', 'interrupted'] }).filter((r) => hashes.has(r.trialHash));
    const submitted = runs.map((r) => ({ run: r, sub: parseSubmission(r) })).filter((x) => x.sub !== null);
    const tasks = await slurmTools.squeue([...new Set(submitted.map((x) => x.sub?.arrayJobId as string))]);
    const live = new Set(tasks.filter((t) => isLive(t.state)).map((t) => t.key));
    const toCancel = submitted.filter((x) => live.has(x.sub?.key as string));
    await slurmTools.scancel(toCancel.map((x) => x.sub?.key as string));
    for (const x of toCancel) if (x.run.status !== 'interrupted') store.endRun(x.run.id, 'interrupted', `interrupted: cancelled with digits run --cancel (scancel ${x.sub?.key})`);
    if (toCancel.length === 0) return `${experiment.name}: no queued or running Slurm tasks to cancel\n`;
    return `${experiment.name}: cancelled ${toCancel.length} Slurm task${toCancel.length === 1 ? '' : 's'} (${toCancel.map((x) => x.sub?.key).join(', ')}); ` +
      `their runs are interrupted, and digits run ${experiment.file} --executor slurm resubmits them\n`;
  }
  finally {
    store.close();
  }
}
