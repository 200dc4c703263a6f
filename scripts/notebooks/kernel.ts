/**
 * The project's own Jupyter kernel, "TypeScript (digit-lab)": tslab started in the project root
 * with ts-node, so notebooks import `./src` as it is (no build) and tslab's compiler, whose rootDir
 * is the kernel's working directory, accepts files under src/. It is written to <root>/.jupyter
 * (git-ignored; it holds absolute paths) and found through JUPYTER_PATH, so the user's own kernels
 * are left alone.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export const PROJECT_ROOT = path.resolve(__dirname, '..', '..');
export const KERNEL_NAME = 'digit-lab';
export const NOTEBOOKS_DIR = path.join(PROJECT_ROOT, 'notebooks');

/** The folder JUPYTER_PATH must include to find the kernel. */
export function jupyterDataDir(root = PROJECT_ROOT): string {
  return path.join(root, '.jupyter');
}

/**
 * kernel.json: `cd <root> && exec <node> -r ts-node/register/transpile-only -r <kernel-preload> <tslab> kernel
 * --config-path <file>` (see kernel-preload.ts for why the preload).
 */
export function kernelSpec(root = PROJECT_ROOT, node = process.execPath): object {
  return {
    argv: [
      '/bin/sh',
      '-c',
      'cd "$0" && exec "$1" -r ts-node/register/transpile-only -r "$2" node_modules/tslab/bin/tslab kernel --config-path "$3"',
      root,
      node,
      path.join(root, 'scripts', 'notebooks', 'kernel-preload.ts'),
      '{connection_file}',
    ],
    display_name: 'TypeScript (digit-lab)',
    language: 'typescript',
    interrupt_mode: 'signal',
  };
}

/** Writes <root>/.jupyter/kernels/digit-lab/kernel.json; returns its path. */
export function registerKernel(root = PROJECT_ROOT): string {
  const dir = path.join(jupyterDataDir(root), 'kernels', KERNEL_NAME);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, 'kernel.json');
  fs.writeFileSync(file, JSON.stringify(kernelSpec(root), null, 2) + '\n');
  return file;
}

/** `env` with the project's Jupyter folder first on JUPYTER_PATH. */
export function jupyterEnv(env: NodeJS.ProcessEnv = process.env, root = PROJECT_ROOT): NodeJS.ProcessEnv {
  const paths = [jupyterDataDir(root), ...(env.JUPYTER_PATH ? env.JUPYTER_PATH.split(path.delimiter) : [])];
  return { ...env, JUPYTER_PATH: paths.join(path.delimiter) };
}

/** True when `command --version` runs (the Jupyter tools are separate executables on PATH). */
export function hasCommand(command: string): boolean {
  const r = spawnSync(command, ['--version'], { stdio: 'ignore', timeout: 30_000 });
  return r.status === 0;
}

/**
 * The Python that runs Jupyter: the interpreter named on the first line of jupyter-nbconvert on
 * PATH (e.g. Debian's /usr/bin/python3 while a pyenv python3 comes first on PATH), else python3.
 */
export function jupyterPython(env: NodeJS.ProcessEnv = process.env): string {
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, 'jupyter-nbconvert');
    if (!dir || !fs.existsSync(file)) continue;
    const first = fs.readFileSync(file, 'utf8').split('\n', 1)[0];
    const match = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(first);
    if (!match) break;
    return match[1].endsWith('/env') && match[2] ? match[2] : match[1];
  }
  return 'python3';
}
