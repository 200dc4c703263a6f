/** Reading `squeue --json` (Slurm 22.05's OpenAPI v0.0.38 layout): the state of every array task. */

/** One array task as Slurm sees it; `key` is "<array job id>_<index>" as scontrol and scancel take it. */
export interface TaskState {
  key: string;
  arrayJobId: string;
  index: number;
  state: string;
  reason: string;
  restarts: number;
  node: string;
}

/** States in which a task still runs or will run (again). */
const LIVE = new Set([
  'PENDING', 'RUNNING', 'REQUEUED', 'REQUEUE_FED', 'REQUEUE_HOLD', 'CONFIGURING', 'COMPLETING', 'SUSPENDED',
  'RESIZING', 'SIGNALING', 'STAGE_OUT', 'RESV_DEL_HOLD', 'STOPPED',
]);

export function isLive(state: string): boolean {
  return LIVE.has(state);
}

interface JsonJob {
  job_id?: number;
  array_job_id?: number;
  array_task_id?: number | null;
  array_task_string?: string;
  job_state?: string;
  state_reason?: string;
  restart_cnt?: number;
  nodes?: string;
}

/** Slurm's "no value" for a 32-bit field (an array record with many pending tasks has no single index). */
const NO_VAL = 4294967294;

/** Indices of an array task string such as "2-5,7,9-11%2". */
export function expandTaskString(s: string): number[] {
  const out: number[] = [];
  for (const part of s.replace(/%\d+$/, '').split(',')) {
    const m = part.trim().match(/^(\d+)(?:-(\d+))?(?::(\d+))?$/);
    if (!m) continue;
    const [from, to, step] = [Number(m[1]), Number(m[2] ?? m[1]), Number(m[3] ?? 1)];
    for (let i = from; i <= to; i += step) out.push(i);
  }
  return out;
}

/**
 * The array tasks in squeue's JSON; a record that stands for several pending tasks is expanded
 * into one per index. Jobs that are not array tasks are left out.
 */
export function parseSqueueJson(text: string): TaskState[] {
  const doc = JSON.parse(text) as { jobs?: JsonJob[]; errors?: { error?: string; description?: string }[] };
  const tasks: TaskState[] = [];
  for (const job of doc.jobs ?? []) {
    const arrayJobId = job.array_job_id;
    if (!arrayJobId) continue;
    const single = job.array_task_id;
    const indices = single !== null && single !== undefined && single !== NO_VAL ? [single] : expandTaskString(job.array_task_string ?? '');
    for (const index of indices) {
      tasks.push({
        key: `${arrayJobId}_${index}`, arrayJobId: String(arrayJobId), index,
        state: job.job_state ?? 'UNKNOWN', reason: job.state_reason ?? '', restarts: job.restart_cnt ?? 0, node: job.nodes ?? '',
      });
    }
  }
  return tasks;
}
