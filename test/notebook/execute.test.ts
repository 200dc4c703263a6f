/**
 * Executes every notebook headless through the same script as `npm run test:notebooks`, then checks
 * what they showed and that their HTML export shows every chart. Needs Jupyter (Debian:
 * jupyter-nbconvert python3-nbclient python3-ipykernel).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { hasCommand, jupyterEnv, jupyterPython, KERNEL_NAME, registerKernel } from '../../scripts/notebooks/kernel';
import { VEGA_LITE_MIME } from '../../src/notebook/bundle';

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
/** The chart outputs: their title (text form), spec and PNG. */
const charts = (file: string) =>
  outputs(file)
    .filter((o) => o.data?.[VEGA_LITE_MIME])
    .map((o) => ({ title: join(o.data!['text/plain']), spec: o.data![VEGA_LITE_MIME] as unknown as { data?: { values?: Record<string, unknown>[] } }, png: join(o.data!['image/png']) }));
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

  it('01-data shows the digit grid, mean digits and augmentation as PNGs and two charts', () => {
    const pngs = outputs('01-data.ipynb').filter((o) => o.data?.['image/png'] && !o.data[VEGA_LITE_MIME]);
    assert.equal(pngs.length, 3);
    assert.deepEqual(charts('01-data.ipynb').map((c) => c.title), ['[chart: Class balance]', '[chart: Ink per class]']);
    assert.match(printed('01-data.ipynb'), /train: 60000 images, test: 10000 images/);
  });

  it('02-train trains and records a run in one call, with its learning curve from the first steps and its confusion matrix', () => {
    assert.match(printed('02-train.ipynb'), /run \w+ finished: validation accuracy 0\.\d+, test accuracy 0\.\d+/);
    const [curve, confusion] = charts('02-train.ipynb');
    assert.match(curve.title, /^\[chart: cnn dense=64 · 600 images \(notebook\)\]$/);
    const rows = curve.spec.data!.values!;
    assert.ok(rows.some((r) => r.split === 'train' && (r.epoch as number) < 1), 'training windows inside epoch 1');
    assert.deepEqual([...new Set(rows.filter((r) => r.split === 'validation').map((r) => r.epoch))], [1, 2]);
    assert.match(confusion.title, /Test confusion matrix/);
  });

  it('03-compare runs a grid in one call, then finds it and the run of 02 in the store and shows their charts and mistakes', () => {
    assert.match(printed('03-compare.ipynb'), /quickstart: 2 trial\(s\) trained now, 0 had finished before/);
    assert.match(printed('03-compare.ipynb'), /3 finished run\(s\)/);
    assert.ok(shown('03-compare.ipynb', 'text/html').some((h) => h.includes('cnn dense=64 · 600 images (notebook)')), 'the runs table');
    assert.ok(charts('03-compare.ipynb').length >= 4, 'the grid’s curves and the report charts');
    assert.ok(shown('03-compare.ipynb', 'text/html').some((h) => /<img src="data:image\/png;base64,/.test(h)), 'the mistakes gallery');
  });

  for (const file of ['01-data.ipynb', '02-train.ipynb', '03-compare.ipynb']) {
    it(`${file}: every chart is a Vega-Lite bundle with a PNG that the HTML export shows, and no SVG-only box`, async () => {
      const html = fs.readFileSync(path.join(OUT, file.replace(/\.ipynb$/, '.html')), 'utf8');
      assert.equal(shown(file, 'image/svg+xml').length, 0, 'no SVG outputs (nbconvert strips them)');
      assert.doesNotMatch(html, /data-mime-type="image\/svg\+xml"/);
      const found = charts(file);
      assert.ok(found.length >= 2, `${found.length} charts`);
      for (const chart of found) {
        assert.ok(chart.png, `${chart.title} has a PNG`);
        assert.ok(html.includes(`<img src="data:image/png;base64,${chart.png}"`), `${chart.title} is in the HTML as an image`);
        const { channels } = await sharp(Buffer.from(chart.png, 'base64')).stats();
        assert.ok(channels.slice(0, 3).every((c) => c.min < 128 && c.max > 240), `${chart.title}: a drawn chart, not a blank box`);
      }
    });
  }
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
