/**
 * A real Slurm for integration tests: the one CI started (SLURM_CONF), else a private one started
 * here with scripts/slurm/start.sh (root and Debian's Slurm packages needed), else a reason to skip.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const SCRIPTS = path.resolve(__dirname, '../../../scripts/slurm');

export interface Cluster {
  /** The environment every Slurm command and `digits` needs (SLURM_CONF). */
  env: Record<string, string>;
  /** Stops the cluster if this helper started it; a no-op for CI's. */
  stop(): void;
}

/** True when `sinfo` answers with the configuration `conf`. */
function answers(conf: string): boolean {
  const r = spawnSync('sinfo', ['-h', '-o', '%P'], { env: { ...process.env, SLURM_CONF: conf }, encoding: 'utf8', timeout: 10_000 });
  return r.status === 0;
}

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { env: { ...process.env, PATH: `${process.env.PATH}:/usr/sbin` } }).status === 0;
}

/** A running cluster, or the reason there is none (the caller skips with it). */
export function startCluster(): Cluster | string {
  const given = process.env.SLURM_CONF;
  if (given) {
    return answers(given) ? { env: { SLURM_CONF: given }, stop: () => undefined } : `SLURM_CONF=${given} is set but sinfo gets no answer from its slurmctld`;
  }
  const missing = ['sbatch', 'squeue', 'scontrol', 'scancel', 'sinfo', 'slurmctld', 'slurmd', 'munged'].filter((c) => !onPath(c));
  if (missing.length) return `Slurm is not installed (${missing.join(', ')} missing; apt-get install slurmctld slurmd slurm-client munge, as .ci/run does)`;
  if (process.getuid?.() !== 0) return 'starting a private Slurm needs root (slurmd runs jobs as the submitting user); or set SLURM_CONF to a running cluster';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-slurm-'));
  const stop = () => {
    spawnSync('bash', [path.join(SCRIPTS, 'stop.sh'), dir], { stdio: 'ignore' });
    fs.rmSync(dir, { recursive: true, force: true });
  };
  try {
    execFileSync('bash', [path.join(SCRIPTS, 'start.sh'), dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    stop();
    return `scripts/slurm/start.sh failed: ${String((err as { stderr?: Buffer }).stderr ?? err)}`;
  }
  return { env: { SLURM_CONF: path.join(dir, 'slurm.conf') }, stop };
}
