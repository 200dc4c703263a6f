/** What a user can set for the Slurm executor (flags of `digits run`, or the experiment's `executor:` block). */
import type { ExecutorBlock } from '../../config';
import { UserError } from '../../errors';

/** The executor block's Slurm settings (its fields are documented in config's ExecutorBlock). */
export type SlurmSettings = Omit<ExecutorBlock, 'kind'>;

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
