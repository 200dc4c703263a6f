/** What a user can set for the Slurm executor (flags of `digits run`, or the experiment's `executor:` block). */
import { UserError } from '../../errors';

export interface SlurmSettings {
  /** sbatch --partition; the cluster's default partition when unset. */
  partition?: string;
  /** sbatch --time, e.g. "2:00:00" or "90" (minutes); the partition's limit when unset. */
  timeLimit?: string;
  /** sbatch --cpus-per-task (default 1). */
  cpusPerTask?: number;
  /** Array tasks running at once (the %K of --array); unlimited when unset. */
  tasksAtOnce?: number;
  /** More sbatch arguments, passed as given (e.g. ["--account=ml", "--mem=4G"]). */
  extraArgs?: string[];
  /** Seconds before the time limit at which Slurm sends USR1 (default 60). */
  graceSeconds?: number;
  /** Times a task that reaches its time limit requeues itself before its trial is recorded failed (default 2). */
  maxRestarts?: number;
}

export const DEFAULT_GRACE_SECONDS = 60;
export const DEFAULT_MAX_RESTARTS = 2;

const TIME = /^(\d+-)?\d+(:\d{1,2}){0,2}$/;

/**
 * Checks settings from flags or YAML; `source` names where they came from in messages.
 * @example checkSlurmSettings({ timeLimit: '1:00:00', tasksAtOnce: 8 }, '--time-limit')
 */
export function checkSlurmSettings(s: SlurmSettings, source = 'executor'): SlurmSettings {
  const whole = (name: string, v: number | undefined, min: number) => {
    if (v !== undefined && (!Number.isInteger(v) || v < min)) throw new UserError(`${source}: ${name} must be a whole number >= ${min}, got ${JSON.stringify(v)}`);
  };
  whole('cpusPerTask', s.cpusPerTask, 1);
  whole('tasksAtOnce', s.tasksAtOnce, 1);
  whole('graceSeconds', s.graceSeconds, 1);
  whole('maxRestarts', s.maxRestarts, 0);
  if (s.timeLimit !== undefined && !TIME.test(s.timeLimit)) {
    throw new UserError(`${source}: timeLimit must be a Slurm time such as "90" (minutes), "1:30:00" or "2-00:00:00", got ${JSON.stringify(s.timeLimit)}`);
  }
  if (s.partition !== undefined && !/^[\w.-]+$/.test(s.partition)) throw new UserError(`${source}: partition must be a partition name, got ${JSON.stringify(s.partition)}`);
  return s;
}
