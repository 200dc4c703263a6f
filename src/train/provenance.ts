import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EngineInfo } from '../engine';
import type { Mnist } from '../data';
import { PROJECT_ROOT, type Provenance } from '../tracking';


/**
 * Where and with what a run is made: backend and versions, git commit and dirtiness, the lockfile's
 * hash, host and pid. Git facts are null outside a git checkout.
 * @example store.startRun(run.id, collectProvenance(await selectBackend()), dir)
 */
export function collectProvenance(engine: EngineInfo, dataHash: string | null = null): Provenance {
  const lockfile = path.join(PROJECT_ROOT, 'package-lock.json');
  const status = git(['status', '--porcelain', '--untracked-files=no']);
  return {
    backend: engine.backend,
    versions: { ...engine.versions, 'digit-lab': packageVersion() },
    gitCommit: git(['rev-parse', 'HEAD'])?.trim() || null,
    gitDirty: status === null ? null : status.trim().length > 0,
    lockfileHash: fs.existsSync(lockfile) ? createHash('sha256').update(fs.readFileSync(lockfile)).digest('hex').slice(0, 16) : null,
    dataHash,
    host: os.hostname(),
    pid: process.pid,
  };
}

function git(args: string[]): string | null {
  try {
    return execFileSync('git', args, { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 5000 });
  } catch {
    return null;
  }
}

function packageVersion(): string {
  try {
    return JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The provenance a run records: `provenance` with the data hash of the MNIST it trains on
 * (loadMnist's mnistDataHash) filled in when the caller left it empty.
 */
export function withDataHash(provenance: Provenance, mnist: Pick<Mnist, 'dataHash'>): Provenance {
  return provenance.dataHash === null && mnist.dataHash ? { ...provenance, dataHash: mnist.dataHash } : provenance;
}
