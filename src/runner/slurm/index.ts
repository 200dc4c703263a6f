/** Grids on a Slurm cluster: one array task per trial, run journals instead of database writes. */
export { runSlurmGrid, type SlurmGridOptions } from './coordinator';
export { checkSlurmSettings, DEFAULT_GRACE_SECONDS, DEFAULT_MAX_RESTARTS, type SlurmSettings } from './options';
export { arrayChunks, batchScript, sbatchArgs, parseMaxArraySize, parseSbatchOutput, type ArrayChunk } from './sbatch';
export { parseSqueueJson, expandTaskString, isLive, type TaskState } from './squeue';
export { parseSubmission, SUBMISSION_TAG } from './submit';
export * as slurmTools from './tools';
