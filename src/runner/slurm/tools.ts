/**
 * Calling Slurm's commands (sbatch, squeue, scontrol, scancel) as child processes: the only place
 * that runs them. They find the cluster the usual way (SLURM_CONF or /etc/slurm).
 */
import { execFile } from 'node:child_process';
import { UserError } from '../../errors';
import { parseMaxArraySize, parseSbatchOutput } from './sbatch';
import { parseSqueueJson, type TaskState } from './squeue';

function run(command: string, args: string[], timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (!err) return resolve(stdout);
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        return reject(new UserError(`${command} not found: run digits on a machine with Slurm's client commands (Debian: slurm-client), or use --executor local`));
      }
      const said = (stderr || err.message).trim().split('\n').slice(-3).join(' / ');
      reject(new UserError(`${command} ${args.filter((a) => !a.startsWith('/')).slice(0, 6).join(' ')} failed: ${said}`));
    });
  });
}

/** Submits one array; returns its job id. */
export async function sbatch(args: string[]): Promise<string> {
  return parseSbatchOutput(await run('sbatch', args));
}

/** The states of the given array jobs' tasks (finished ones stay listed for MinJobAge seconds). */
export async function squeue(arrayJobIds: string[]): Promise<TaskState[]> {
  if (arrayJobIds.length === 0) return [];
  const ids = new Set(arrayJobIds);
  const all = parseSqueueJson(await run('squeue', ['--json', `--jobs=${arrayJobIds.join(',')}`]).catch((err: unknown) => {
    // squeue refuses the whole list once one id is unknown (long gone): ask for everything then.
    if (err instanceof UserError && /Invalid job id/i.test(err.message)) return run('squeue', ['--json']);
    throw err;
  }));
  return all.filter((t) => ids.has(t.arrayJobId));
}

/** The cluster's MaxArraySize (`scontrol show config`). */
export async function maxArraySize(): Promise<number> {
  return parseMaxArraySize(await run('scontrol', ['show', 'config']));
}

/** Cancels the given jobs or array tasks ("123", "123_4"). */
export async function scancel(keys: string[]): Promise<void> {
  if (keys.length) await run('scancel', keys);
}

/** Puts an array task back in the queue (it ends now and starts again as a new attempt). */
export async function requeue(key: string): Promise<void> {
  await run('scontrol', ['requeue', key]);
}
