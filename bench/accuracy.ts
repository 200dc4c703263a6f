/**
 * Accuracy benchmark: trains presets on the full MNIST, one process each (the ensemble's members
 * in parallel, one per core), and records test accuracy, epochs, training time, images/s and the
 * peak RSS of each process against the project's goals. Writes bench/results/accuracy.json
 * (results of entries not run this time are kept from the previous file).
 *   npm run bench:accuracy                           # all four entries (hours on 2 cores)
 *   npm run bench:accuracy -- --only cnn-default     # one entry; comma-separate several
 *   npm run bench:accuracy -- --only cnn-default --epochs 1 --train-limit 5000   # a quick sanity check
 * Data: $DIGITS_DATA_DIR or ../shared/datasets/mnist.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CombineMethod } from '../src/models/ensemble';
import { readRunArtifacts } from '../src/train/artifacts';
import { combineRuns } from '../src/train/ensemble-runs';

interface Entry {
  name: string;
  members: { preset: string; seed: number }[];
  goal: number; // test accuracy
  minutes: number | null; // time goal (wall clock of the entry)
}

const ENTRIES: Entry[] = [
  { name: 'cnn-default', members: [{ preset: 'cnn-default', seed: 1 }], goal: 0.993, minutes: 15 },
  { name: 'cnn-strong', members: [{ preset: 'cnn-strong', seed: 1 }], goal: 0.996, minutes: 90 },
  { name: 'lstm-128', members: [{ preset: 'lstm-128', seed: 1 }], goal: 0.988, minutes: null },
  {
    name: 'ensemble',
    members: [{ preset: 'cnn-strong', seed: 1 }, { preset: 'cnn-strong', seed: 2 }, { preset: 'cnn-strong', seed: 3 }, { preset: 'cnn-default', seed: 4 }],
    goal: 0.997,
    minutes: null,
  },
];

type MemberResult = Record<string, unknown> & { preset: string; seed: number; dir: string; testAccuracy: number | null; validationAccuracy: number | null; wallSeconds: number };

const RESULTS = path.join(__dirname, 'results');
const RUNS = path.join(RESULTS, 'accuracy-runs');

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Trains one member in its own process and returns its JSON result line. */
function trainMember(m: { preset: string; seed: number }): Promise<MemberResult> {
  const args = ['-r', 'ts-node/register/transpile-only', path.join(__dirname, 'accuracy-member.ts'), m.preset, String(m.seed), RUNS, flag('epochs') ?? '', flag('train-limit') ?? ''];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: path.join(__dirname, '..') });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('close', (code) => (code === 0 ? resolve(JSON.parse(out.trim().split('\n').pop() ?? '{}')) : reject(new Error(`${m.preset} seed ${m.seed} failed (exit ${code})`))));
  });
}

/** Runs tasks with at most `jobs` at a time, keeping their order in the result. */
async function pool<T>(tasks: (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

function ensembleAccuracy(members: MemberResult[]): Record<CombineMethod, number> {
  const runs = members.map((m) => readRunArtifacts(m.dir));
  const acc = (method: CombineMethod) => combineRuns(runs, method).test.accuracy;
  return { average: acc('average'), vote: acc('vote'), weighted: acc('weighted') };
}

async function runEntry(entry: Entry, jobs: number, done: Map<string, MemberResult>): Promise<Record<string, unknown>> {
  const started = performance.now();
  const key = (m: { preset: string; seed: number }) => `${m.preset}#${m.seed}`;
  const todo = entry.members.filter((m) => !done.has(key(m)));
  const fresh = await pool(todo.map((m) => () => trainMember(m)), jobs);
  fresh.forEach((r, i) => done.set(key(todo[i]), r));
  const members = entry.members.map((m) => done.get(key(m)) as MemberResult);
  const wallMinutes = (performance.now() - started) / 60000;
  const combined = members.length > 1 ? ensembleAccuracy(members) : null;
  const testAccuracy = combined ? combined.average : members[0].testAccuracy;
  return {
    name: entry.name, goal: entry.goal, testAccuracy, meetsGoal: testAccuracy !== null && testAccuracy >= entry.goal,
    timeGoalMinutes: entry.minutes, wallMinutes, withinTime: entry.minutes === null ? null : wallMinutes <= entry.minutes,
    ensemble: combined, members, at: new Date().toISOString(),
  };
}

async function main(): Promise<void> {
  const only = flag('only')?.split(',');
  const unknown = only?.filter((n) => !ENTRIES.some((e) => e.name === n)) ?? [];
  if (unknown.length) throw new Error(`--only ${unknown.join(',')}: no such entry; use ${ENTRIES.map((e) => e.name).join(', ')}`);
  const jobs = Number(flag('jobs') ?? os.cpus().length);
  fs.mkdirSync(RUNS, { recursive: true });
  const file = path.join(RESULTS, 'accuracy.json');
  const previous = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : { results: {} };
  const done = new Map<string, MemberResult>();
  for (const entry of ENTRIES.filter((e) => !only || only.includes(e.name))) {
    const result = await runEntry(entry, jobs, done);
    previous.results[entry.name] = { ...result, epochsOverride: flag('epochs') ?? null, trainLimit: flag('train-limit') ?? null };
    process.stdout.write(`${entry.name}: test accuracy ${(result.testAccuracy as number).toFixed(4)} (goal ${entry.goal}), ${(result.wallMinutes as number).toFixed(1)} min\n`);
    fs.writeFileSync(file, JSON.stringify({ ...previous, machine: { cpus: os.cpus().length, model: os.cpus()[0]?.model, node: process.version } }, null, 2) + '\n');
  }
  process.stdout.write(`wrote ${file}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
