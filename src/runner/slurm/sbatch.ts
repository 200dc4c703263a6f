/**
 * The sbatch command lines and the batch script of a grid: one array task per trial, arrays cut to
 * the cluster's MaxArraySize, ensembles in later arrays that wait for the ones before them.
 */
import { DEFAULT_GRACE_SECONDS, type SlurmSettings } from './options';

/** One job array to submit: trials [offset, offset + size) of the manifest, index i -> trial offset + i. */
export interface ArrayChunk {
  offset: number;
  size: number;
  /** Ensemble trials go in a later stage, which waits (afterany) for every array of the stages before. */
  stage: number;
}

/**
 * Cuts `counts[stage]` trials per stage into arrays of at most `maxArraySize` tasks (Slurm refuses
 * array indices >= MaxArraySize). Offsets run on across stages, as trials sit in the manifest.
 * @example arrayChunks([2500, 3], 1001) // offsets 0, 1001, 2002 (stage 0) and 2500 (stage 1)
 */
export function arrayChunks(counts: number[], maxArraySize: number): ArrayChunk[] {
  const chunks: ArrayChunk[] = [];
  let offset = 0;
  counts.forEach((count, stage) => {
    for (let start = 0; start < count; start += maxArraySize) {
      chunks.push({ offset: offset + start, size: Math.min(maxArraySize, count - start), stage });
    }
    offset += count;
  });
  return chunks;
}

export interface SbatchInput {
  settings: SlurmSettings;
  jobName: string;
  chunk: ArrayChunk;
  /** Folder for the tasks' stdout/stderr files. */
  logDir: string;
  /** Array job ids this array waits for (afterany: they may have failed; the ensemble then says why). */
  after: string[];
  script: string;
}

/**
 * The sbatch arguments of one array: requeue on node failure or preemption, USR1 to the batch
 * shell (which exec's node) `graceSeconds` before the time limit, K tasks at once, and the
 * user's partition, time, CPUs and extra arguments (last, so they can override).
 */
export function sbatchArgs(input: SbatchInput): string[] {
  const { settings: s, chunk } = input;
  const limit = s.tasksAtOnce ? `%${s.tasksAtOnce}` : '';
  const args = [
    '--parsable',
    `--job-name=${input.jobName}`,
    `--array=0-${chunk.size - 1}${limit}`,
    '--requeue',
    `--signal=B:USR1@${s.graceSeconds ?? DEFAULT_GRACE_SECONDS}`,
    `--cpus-per-task=${s.cpusPerTask ?? 1}`,
    `--output=${input.logDir}/%A_%a.out`,
  ];
  if (s.partition) args.push(`--partition=${s.partition}`);
  if (s.timeLimit) args.push(`--time=${s.timeLimit}`);
  if (input.after.length) args.push(`--dependency=afterany:${input.after.join(':')}`);
  args.push(...(s.extraArgs ?? []), input.script, String(chunk.offset));
  return args;
}

/** Quotes a word for a POSIX shell. */
export function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * The batch script: `exec` so that Slurm's signals (USR1 before the time limit, TERM on node
 * failure, preemption or scancel) reach Node itself, not a shell that would ignore them.
 * Its first argument is the chunk's offset; the task adds SLURM_ARRAY_TASK_ID to it.
 */
export function batchScript(input: { node: string; taskEntry: string[]; manifest: string; cwd: string }): string {
  const cmd = [input.node, ...input.taskEntry, input.manifest].map(shellQuote).join(' ');
  return [
    '#!/bin/bash',
    '# digit-lab: one trial of a grid per array task (written by digits run --executor slurm)',
    `cd ${shellQuote(input.cwd)} || exit 1`,
    `exec ${cmd} "$1"`,
    '',
  ].join('\n');
}

/** The job id sbatch --parsable prints ("123" or "123;cluster"). */
export function parseSbatchOutput(out: string): string {
  const id = out.trim().split(/\r?\n/).pop()?.split(';')[0] ?? '';
  if (!/^\d+$/.test(id)) throw new Error(`sbatch printed no job id: ${JSON.stringify(out)}`);
  return id;
}

/** MaxArraySize from `scontrol show config` (Slurm's default, 1001, when the line is missing). */
export function parseMaxArraySize(config: string): number {
  const m = config.match(/^\s*MaxArraySize\s*=\s*(\d+)/m);
  return m ? Number(m[1]) : 1001;
}
