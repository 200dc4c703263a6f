/**
 * Executes every notebook headless through the same script as `npm run test:notebooks`, then checks
 * what they showed. Needs Jupyter (Debian: jupyter-nbconvert python3-nbclient python3-ipykernel).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { hasCommand, jupyterEnv, jupyterPython, KERNEL_NAME, registerKernel } from '../../scripts/notebooks/kernel';

const ROOT = path.resolve(__dirname, '..', '..');
const MNIST = path.resolve(ROOT, '..', 'shared', 'datasets', 'mnist');
const OUT = path.join(ROOT, 'test-output', 'notebooks');

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  data?: Record<string, string | string[]>;
}

function outputs(file: string): Output[] {
  const nb = JSON.parse(fs.readFileSync(path.join(OUT, file), 'utf8')) as { cells: { outputs?: Output[] }[] };
  return nb.cells.flatMap((c) => c.outputs ?? []);
}
const join = (v: string | string[] | undefined) => (Array.isArray(v) ? v.join('') : (v ?? ''));
const shown = (file: string, mime: string) => outputs(file).filter((o) => o.data?.[mime]).map((o) => join(o.data![mime]));
const printed = (file: string) => outputs(file).filter((o) => o.output_type === 'stream').map((o) => join(o.text)).join('');

describe('notebooks (executed)', function () {
  this.timeout(15 * 60_000);
  let run: ReturnType<typeof spawnSync> | null = null;

  before(function () {
    if (!hasCommand('jupyter-nbconvert')) {
      console.log('    skipped: Jupyter is not installed (apt-get install jupyter-nbconvert python3-nbclient python3-ipykernel)');
      this.skip();
    }
    for (const f of ['01-data.ipynb', '02-train.ipynb', '03-compare.ipynb']) fs.rmSync(path.join(OUT, f), { force: true });
    run = spawnSync(process.execPath, [require.resolve('ts-node/dist/bin.js'), '--transpile-only', 'scripts/notebooks/main.ts', 'test'], {
      cwd: ROOT,
      env: { ...process.env, DIGITS_DATA_DIR: MNIST },
      encoding: 'utf8',
    });
  });

  it('runs every cell of every notebook without an error (npm run test:notebooks)', () => {
    assert.equal(run!.status, 0, `${run!.stdout}\n${run!.stderr}`);
    assert.match(String(run!.stdout), /3 notebook\(s\) executed/);
  });

  it('01-data shows the digit grid, mean digits and augmentation as PNGs and two charts as SVG', () => {
    const pngs = shown('01-data.ipynb', 'image/png');
    assert.equal(pngs.length, 3);
    for (const png of pngs) assert.equal(Buffer.from(png, 'base64').subarray(1, 4).toString(), 'PNG');
    const svgs = shown('01-data.ipynb', 'image/svg+xml');
    assert.deepEqual(svgs.map((s) => />(Class balance|Ink per class)</.exec(s)?.[1]), ['Class balance', 'Ink per class']);
    assert.match(printed('01-data.ipynb'), /train: 60000 images, test: 10000 images/);
  });

  it('02-train trains and records a run, with its learning curves and confusion matrix', () => {
    assert.match(printed('02-train.ipynb'), /run \w+ finished: validation accuracy 0\.\d+, test accuracy 0\.\d+/);
    const svgs = shown('02-train.ipynb', 'image/svg+xml');
    assert.ok(svgs.some((s) => />Learning curves</.test(s)), 'learning curves');
    assert.ok(svgs.some((s) => />Test confusion matrix/.test(s)), 'confusion matrix');
  });

  it('03-compare finds the run of 02 in the store and shows its charts and mistakes', () => {
    assert.match(printed('03-compare.ipynb'), /1 finished run\(s\)/);
    assert.ok(shown('03-compare.ipynb', 'text/html').some((h) => h.includes('cnn dense=64 · 600 images (notebook)')), 'the runs table');
    assert.ok(shown('03-compare.ipynb', 'image/svg+xml').length >= 3, 'the report charts');
    assert.ok(shown('03-compare.ipynb', 'text/html').some((h) => /<img src="data:image\/png;base64,/.test(h)), 'the mistakes gallery');
  });
});

describe('notebook kernel', function () {
  this.timeout(5 * 60_000);

  // tslab 1.0.22 watches the folders where module lookups failed; a file created there later left a
  // rebuild timer pending and every following cell failed with "Unexpected pending rebuildTimer".
  it('keeps running cells after a file appears in a folder it compiled from (see kernel-preload.ts)', function () {
    if (!hasCommand('jupyter-nbconvert')) this.skip();
    const dir = path.join(ROOT, 'test-output', 'notebook-watch'); // under the project root, where tslab compiles
    fs.rmSync(dir, { recursive: true, force: true });
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'answer.ts'), 'export const answer = 42;\n');
    fs.writeFileSync(path.join(dir, 'index.ts'), "export { answer } from './answer';\n");
    const cell = (source: string) => ({ cell_type: 'code', metadata: {}, source, outputs: [], execution_count: null });
    const notebook = {
      nbformat: 4,
      nbformat_minor: 4,
      metadata: { kernelspec: { name: KERNEL_NAME, display_name: 'TypeScript (digit-lab)', language: 'typescript' } },
      cells: [
        cell("import { answer } from './test-output/notebook-watch';\nconsole.log(`answer ${answer}`);"),
        cell("import fs from 'node:fs';\nfs.writeFileSync('test-output/notebook-watch/new.ts', 'export {};\\n');\nawait new Promise((r) => setTimeout(r, 2000));"),
        cell("console.log('still running');"),
      ],
    };
    fs.writeFileSync(path.join(dir, 'watch.ipynb'), JSON.stringify(notebook));
    registerKernel();
    const out = path.join(dir, 'watch-out.ipynb');
    const runner = path.join(ROOT, 'scripts', 'notebooks', 'execute_notebook.py');
    const r = spawnSync(jupyterPython(), [runner, path.join(dir, 'watch.ipynb'), out, KERNEL_NAME, '120'], { env: jupyterEnv(), encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const cells = JSON.parse(fs.readFileSync(out, 'utf8')).cells as { outputs: Output[] }[];
    assert.match(cells.flatMap((c) => c.outputs).map((o) => join(o.text)).join(''), /answer 42[\s\S]*still running/);
  });
});
