/**
 * Fake sbatch, squeue, scontrol and scancel: small shell scripts put first on PATH. Each records its
 * arguments (one JSON array per line in <dir>/calls.jsonl); squeue prints <dir>/squeue.json, which
 * the test writes; sbatch prints job ids 100, 101, ...; scontrol show config says MaxArraySize.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface FakeSlurm {
  dir: string;
  /** The recorded calls, e.g. [['sbatch', '--parsable', ...], ['squeue', '--json', ...]]. */
  calls(): string[][];
  /** Sets what squeue --json prints: task key ("100_0") -> state. */
  setQueue(states: Record<string, string>): void;
  restorePath(): void;
}

const RECORD = `node -e 'require("fs").appendFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)) + "\\n")' "$DIR/calls.jsonl" "$(basename "$0")" "$@"`;

export function installFakeSlurm(dir: string, maxArraySize = 1001): FakeSlurm {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin, { recursive: true });
  const write = (name: string, body: string) => fs.writeFileSync(path.join(bin, name), `#!/bin/sh\nDIR=${JSON.stringify(dir)}\n${RECORD}\n${body}\n`, { mode: 0o755 });
  write('sbatch', 'n=$(cat "$DIR/next-job" 2>/dev/null || echo 100); echo $((n + 1)) > "$DIR/next-job"; echo "$n"');
  write('squeue', 'cat "$DIR/squeue.json" 2>/dev/null || echo \'{"jobs": []}\'');
  write('scontrol', `[ "$1" = show ] && echo "MaxArraySize            = ${maxArraySize}"; exit 0`);
  write('scancel', 'exit 0');
  const oldPath = process.env.PATH;
  process.env.PATH = `${bin}:${oldPath}`;
  return {
    dir,
    calls: () => (fs.existsSync(path.join(dir, 'calls.jsonl')) ? fs.readFileSync(path.join(dir, 'calls.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]) : []),
    setQueue(states) {
      const jobs = Object.entries(states).map(([key, state]) => {
        const [job, index] = key.split('_').map(Number);
        return { job_id: job * 100 + index, array_job_id: job, array_task_id: index, array_task_string: '', job_state: state, state_reason: 'None', restart_cnt: 0, nodes: 'n1' };
      });
      fs.writeFileSync(path.join(dir, 'squeue.json'), JSON.stringify({ meta: {}, errors: [], jobs }));
    },
    restorePath: () => void (process.env.PATH = oldPath),
  };
}
