/**
 * npm run notebooks       registers the project kernel and opens Jupyter (Lab, else Notebook) in notebooks/
 * npm run test:notebooks  executes every notebook headless (quick mode, temporary store) and exports each to HTML; exit 1 on a cell error
 * ts-node scripts/notebooks/main.ts register   only writes the kernel (.jupyter/kernels/digit-lab)
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { executeNotebooks, OUTPUT_DIR } from './execute';
import { hasCommand, jupyterDataDir, jupyterEnv, NOTEBOOKS_DIR, PROJECT_ROOT, registerKernel } from './kernel';

const USAGE = 'usage: ts-node scripts/notebooks/main.ts <open|test|register> [notebook.ipynb ...]';

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'register') {
    process.stdout.write(`kernel written to ${registerKernel()}\nuse it with JUPYTER_PATH=${jupyterDataDir()}\n`);
    return 0;
  }
  if (command === 'open') return open(rest);
  if (command === 'test') return test(rest);
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

function open(args: string[]): Promise<number> | number {
  registerKernel();
  const app = ['lab', 'notebook'].find((name) => hasCommand(`jupyter-${name}`));
  if (!app) {
    process.stderr.write(
      'notebooks: neither JupyterLab nor Jupyter Notebook is installed (jupyter-lab / jupyter-notebook not found on PATH).\n' +
        'Install one (Debian: sudo apt-get install jupyter-notebook; or pip install jupyterlab), then run npm run notebooks again.\n' +
        `The kernel "TypeScript (digit-lab)" is registered in ${jupyterDataDir()}: any Jupyter started with JUPYTER_PATH=${jupyterDataDir()} finds it.\n` +
        'Without a Jupyter front end, npm run test:notebooks still executes the notebooks headless.\n',
    );
    return 2;
  }
  if (process.getuid?.() === 0 && !args.includes('--allow-root')) {
    process.stderr.write('notebooks: running as root, so Jupyter is started with --allow-root (it refuses to start as root otherwise)\n');
    args = [...args, '--allow-root'];
  }
  return new Promise((resolve) => {
    const child = spawn(`jupyter-${app}`, args, { cwd: NOTEBOOKS_DIR, env: jupyterEnv(), stdio: 'inherit' });
    // Ctrl-C reaches Jupyter too, which asks before shutting down: wait for it instead of dying first.
    const ignore = () => undefined;
    process.on('SIGINT', ignore);
    child.on('close', (code) => {
      process.off('SIGINT', ignore);
      resolve(code ?? 1);
    });
  });
}

async function test(names: string[]): Promise<number> {
  if (!hasCommand('jupyter-nbconvert')) {
    process.stderr.write('test:notebooks: jupyter-nbconvert is not installed: sudo apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel\n');
    return 2;
  }
  const started = Date.now();
  const results = await executeNotebooks({
    notebooks: names.length ? names.map((n) => path.basename(n)) : undefined,
    onResult: (r) =>
      process.stdout.write(`${r.ok ? 'ok  ' : 'FAIL'} ${r.notebook} ${r.seconds.toFixed(1)} s -> ${path.relative(PROJECT_ROOT, r.output)}${r.html ? ` and ${path.basename(r.html)}` : ''}\n`),
  });
  const failed = results.find((r) => !r.ok);
  if (failed) {
    process.stderr.write(`\n${failed.notebook} failed:\n${failed.error}\n`);
    return 1;
  }
  process.stdout.write(`${results.length} notebook(s) executed in ${((Date.now() - started) / 1000).toFixed(1)} s; executed copies in ${path.relative(PROJECT_ROOT, OUTPUT_DIR)}/\n`);
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
    process.exitCode = 1;
  },
);
