/** scripts/slurm/start.sh and stop.sh: a two-node Slurm on 127.0.0.1 that runs a job array. */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startCluster, type Cluster } from './cluster';

describe('scripts/slurm', function () {
  this.timeout(60_000);
  let cluster: Cluster | string;
  before(function () {
    cluster = startCluster();
    if (typeof cluster === 'string') {
      console.log(`      skipped: ${cluster}`);
      this.skip();
    }
  });
  after(() => typeof cluster === 'object' && cluster.stop());

  it('runs a 4-task array over both nodes', async () => {
    const c = cluster as Cluster;
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-slurm-array-'));
    const env = { ...process.env, ...c.env };
    const submitted = execFileSync('sbatch', ['--parsable', '--array=0-3', '-o', `${out}/%a.out`, '--wrap', 'echo "$SLURM_ARRAY_TASK_ID $SLURMD_NODENAME"'], { env, encoding: 'utf8' });
    assert.match(submitted.trim(), /^\d+$/);
    const deadline = Date.now() + 40_000;
    const lines = () => fs.readdirSync(out).map((f) => fs.readFileSync(path.join(out, f), 'utf8').trim()).filter(Boolean);
    while (lines().length < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 300));
    const got = lines().sort();
    assert.deepEqual(got.map((l) => l.split(' ')[0]), ['0', '1', '2', '3']);
    assert.deepEqual([...new Set(got.map((l) => l.split(' ')[1]))].sort(), ['n1', 'n2']);
    fs.rmSync(out, { recursive: true, force: true });
  });
});
