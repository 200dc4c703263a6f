/**
 * Executes notebooks headless with nbclient (execute_notebook.py) on the project kernel, in order
 * (02 trains the run 03 compares), against a temporary tracking store, keeping executed copies and
 * their HTML export (`jupyter nbconvert --to html`, what a user shares).
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { jupyterEnv, jupyterPython, KERNEL_NAME, NOTEBOOKS_DIR, PROJECT_ROOT, registerKernel } from './kernel';

export const OUTPUT_DIR = path.join(PROJECT_ROOT, 'test-output', 'notebooks');
const RUNNER = path.join(__dirname, 'execute_notebook.py');

export interface NotebookResult {
  notebook: string; // file name, e.g. 01-data.ipynb
  ok: boolean;
  seconds: number;
  output: string; // executed copy (written even when a cell failed)
  html: string | null; // its HTML export beside it (null when a cell failed)
  error: string | null; // the failing cell and what it printed
}

export interface ExecuteOptions {
  notebooks?: string[]; // file names in notebooks/; default: every .ipynb, sorted
  outputDir?: string;
  env?: NodeJS.ProcessEnv; // extra variables (e.g. DIGITS_DATA_DIR)
  cellTimeoutSeconds?: number; // default 600
  onResult?: (result: NotebookResult) => void;
}

/** Every notebook in notebooks/, in name order. */
export function listNotebooks(dir = NOTEBOOKS_DIR): string[] {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.ipynb')).sort();
}

/**
 * Runs the notebooks one after another in quick mode (DIGITS_NOTEBOOK_QUICK=1) with a fresh
 * temporary DIGITS_DB and DIGITS_RUNS_DIR (removed afterwards); stops at the first failure.
 * @example const results = await executeNotebooks({ env: { DIGITS_DATA_DIR: '../shared/datasets/mnist' } });
 */
export async function executeNotebooks(options: ExecuteOptions = {}): Promise<NotebookResult[]> {
  registerKernel();
  const outputDir = options.outputDir ?? OUTPUT_DIR;
  fs.mkdirSync(outputDir, { recursive: true });
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'digit-lab-notebooks-'));
  const env = jupyterEnv({
    ...process.env,
    ...options.env,
    DIGITS_NOTEBOOK_QUICK: '1',
    DIGITS_DB: path.join(temp, 'digits.sqlite'),
    DIGITS_RUNS_DIR: path.join(temp, 'runs'),
  });
  const results: NotebookResult[] = [];
  try {
    for (const notebook of options.notebooks ?? listNotebooks()) {
      const result = await executeOne(notebook, outputDir, env, options.cellTimeoutSeconds ?? 600);
      results.push(result);
      options.onResult?.(result);
      if (!result.ok) break;
    }
  } finally {
    fs.rmSync(temp, { recursive: true, force: true });
  }
  return results;
}

async function executeOne(notebook: string, outputDir: string, env: NodeJS.ProcessEnv, timeout: number): Promise<NotebookResult> {
  const output = path.join(outputDir, notebook);
  const started = Date.now();
  const run = await runTool(jupyterPython(), [RUNNER, path.join(NOTEBOOKS_DIR, notebook), output, KERNEL_NAME, String(timeout)], env);
  const result = { notebook, ok: run.code === 0, seconds: 0, output, html: null as string | null, error: run.code === 0 ? null : run.log.trim().slice(-6000) };
  if (result.ok) {
    const exported = await runTool('jupyter-nbconvert', ['--to', 'html', '--output-dir', outputDir, output], env);
    if (exported.code === 0) result.html = output.replace(/\.ipynb$/, '.html');
    else Object.assign(result, { ok: false, error: `jupyter nbconvert --to html ${output} failed:\n${exported.log.trim().slice(-3000)}` });
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

function runTool(command: string, args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; log: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => (log += d));
    child.stderr.on('data', (d) => (log += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, log }));
  });
}
