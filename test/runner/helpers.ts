/** Running the real `digits` CLI (dist/) as a child process and watching its output. */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { openStore } from '../../src/tracking/open';
import type { Run } from '../../src/tracking/types';

export const MNIST = path.resolve(__dirname, '../../../shared/datasets/mnist');
const BIN = path.resolve(__dirname, '../../bin/digits.js');

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliProcess {
  child: ChildProcess;
  /** Resolves with the first match of `pattern` in stderr (now or later). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  done: Promise<Finished>;
}

/** The environment without FORCE_COLOR and NO_COLOR, so that a CI setting them does not colour the lines tests match. */
function withoutColourSwitches(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { FORCE_COLOR: _force, NO_COLOR: _no, ...rest } = env;
  return rest;
}

/**
 * Starts `digits <args>` in its own process group (so a test can kill the group); `command` runs
 * node (e.g. through `runuser -u nobody --` to test as another user).
 */
export function startDigits(args: string[], env: Record<string, string> = {}, command: string[] = [process.execPath]): CliProcess {
  const [program, ...before] = command;
  const child = spawn(program, [...before, BIN, ...args], {
    env: { ...withoutColourSwitches(process.env), DIGITS_DATA_DIR: MNIST, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let stdout = '';
  let stderr = '';
  const waiters: { pattern: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr += d;
    for (const w of [...waiters]) {
      const m = stderr.match(w.pattern);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const done = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return {
    child,
    done,
    waitFor(pattern, timeoutMs = 60_000) {
      const m = stderr.match(pattern);
      if (m) return Promise.resolve(m);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${pattern} in stderr after ${timeoutMs} ms:\n${stderr}`)), timeoutMs);
        waiters.push({ pattern, resolve: (found) => (clearTimeout(timer), resolve(found)) });
      });
    },
  };
}

/** Runs `digits <args>` to the end. */
export function digits(args: string[], env: Record<string, string> = {}): Promise<Finished> {
  return startDigits(args, env).done;
}

/** Every run in the database file, plus its integrity check. */
export function readStore(db: string): { runs: Run[]; integrity: string } {
  const store = openStore(db, { mustExist: true });
  try {
    return { runs: store.listRuns(), integrity: store.integrityCheck() };
  } finally {
    store.close();
  }
}

/** Runs grouped by trial hash. */
export function byHash(runs: Run[]): Map<string, Run[]> {
  const out = new Map<string, Run[]>();
  for (const r of runs) out.set(r.trialHash, [...(out.get(r.trialHash) ?? []), r]);
  return out;
}

/** Polls until `pid` is gone; false after `timeoutMs`. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

/** A tiny CNN experiment: `seeds` trials of ~1-3 s each (trainLimit 600, 1 epoch). */
export function tinyGrid(dir: string, name: string, seeds: number[], trainLimit = 600): string {
  const file = path.join(dir, `${name}.yaml`);
  fs.writeFileSync(file, [
    `name: ${name}`,
    `data: {trainLimit: ${trainLimit}, testLimit: 200}`,
    'model: {kind: cnn, blocks: [{filters: 4, kernelSize: 3, convs: 1, padding: same, batchNorm: false, pool: 2, dropout: 0}], dense: [16]}',
    'train: {epochs: 1, batchSize: 50}',
    `grid: {seed: [${seeds.join(', ')}]}`,
    '',
  ].join('\n'));
  return file;
}
