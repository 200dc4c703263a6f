/**
 * The manifest of one submission: everything an array task needs to find its trial, written by the
 * coordinator beside the batch script on the shared filesystem. Array index (plus the array's
 * offset) -> trials[index].
 */
import fs from 'node:fs';
import { writeFileAtomic } from '../../files';
import type { Trial } from '../../config';
import type { KnownRun } from '../../tracking';

export interface ManifestTrial {
  runId: string;
  /** Which submission of this run this is (1 for the first): the attempt number of its journal events. */
  attempt: number;
  trial: Trial;
}

export interface Manifest {
  version: 1;
  experiment: string;
  runsDir: string;
  dataDir?: string;
  heartbeatSeconds: number;
  /** Requeues allowed after a time-limit warning before the trial is recorded failed. */
  maxRestarts: number;
  timeLimit: string | null;
  trials: ManifestTrial[];
  /** Runs ensemble tasks may combine: finished before submission, or trials of this grid. */
  known: KnownRun[];
}

export function writeManifest(file: string, manifest: Manifest): void {
  writeFileAtomic(file, JSON.stringify(manifest), { makeFolder: true });
}

export function readManifest(file: string): Manifest {
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
  if (manifest.version !== 1) throw new Error(`${file}: manifest version ${String(manifest.version)}, this digit-lab reads version 1`);
  return manifest;
}
