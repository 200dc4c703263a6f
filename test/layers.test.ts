import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..');
const CONFIG = path.join(ROOT, '.dependency-cruiser.cjs');
const DEPCRUISE = path.join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const MAY_IMPORT: Record<string, string[]> = require(CONFIG).MAY_IMPORT;

/** Runs the layer check over a tree of files ({ 'src/a/index.ts': '...' }) and returns the rules it broke. */
function brokenRules(files: Record<string, string>): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'layers-'));
  try {
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { module: 'commonjs' } }));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    const out = spawnSync(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', 'json'], {
      cwd: dir,
      encoding: 'utf8',
    });
    const result = JSON.parse(out.stdout) as { summary: { violations: { rule: { name: string } }[] } };
    return [...new Set(result.summary.violations.map((v) => v.rule.name))].sort();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The "may import" column of the module table in docs/architecture.md, keyed by module. */
function documentedTable(): Record<string, string[]> {
  const doc = fs.readFileSync(path.join(ROOT, 'docs', 'architecture.md'), 'utf8');
  const table: Record<string, string[]> = {};
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const name = /^`([a-z]+)\/`$/.exec(cells[1] ?? '');
    if (!name || cells.length < 5) continue;
    table[name[1]] = cells[3] === '—' ? [] : cells[3].split(',').map((m) => m.trim());
  }
  return table;
}

describe('layers (.dependency-cruiser.cjs)', () => {
  it('finds no violation in src/', () => {
    const out = spawnSync(process.execPath, [DEPCRUISE, 'src', '--config', CONFIG, '--output-type', 'err'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(out.status, 0, out.stdout + out.stderr);
  });

  it('has the table of docs/architecture.md, module for module', () => {
    const documented = documentedTable();
    assert.deepEqual(Object.keys(documented).sort(), Object.keys(MAY_IMPORT).sort());
    for (const [mod, allowed] of Object.entries(MAY_IMPORT)) {
      assert.deepEqual([...documented[mod]].sort(), [...allowed].sort(), `${mod}/ in docs/architecture.md`);
    }
  });

  it('has a folder of src/ for every row, and a row for every folder', () => {
    const folders = fs
      .readdirSync(path.join(ROOT, 'src'), { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    assert.deepEqual(folders.sort(), Object.keys(MAY_IMPORT).sort());
  });

  const cases: { what: string; files: Record<string, string>; broken: string[] }[] = [
    {
      what: 'accepts an import of an allowed module through its index',
      files: { 'src/train/a.ts': "import { x } from '../tracking';\nexport const y = x;\n", 'src/tracking/index.ts': 'export const x = 1;\n' },
      broken: [],
    },
    {
      what: 'refuses an import that runs back up a layer',
      files: { 'src/tracking/a.ts': "import { x } from '../train';\nexport const y = x;\n", 'src/train/index.ts': 'export const x = 1;\n' },
      broken: ['layer-tracking'],
    },
    {
      what: 'refuses a type-only import that runs back up a layer',
      files: { 'src/tracking/a.ts': "import type { X } from '../train';\nexport type Y = X;\n", 'src/train/index.ts': 'export type X = number;\n' },
      broken: ['layer-tracking'],
    },
    {
      what: "refuses a reach past another module's index",
      files: { 'src/cli/a.ts': "import { x } from '../tracking/store';\nexport const y = x;\n", 'src/tracking/store.ts': 'export const x = 1;\n' },
      broken: ['through-index'],
    },
    {
      what: 'refuses a cycle',
      files: {
        'src/config/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
        'src/config/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
      },
      broken: ['no-circular'],
    },
    {
      what: 'refuses the public API from inside src/',
      files: { 'src/config/a.ts': "import { x } from '../index';\nexport const y = x;\n", 'src/index.ts': 'export const x = 1;\n' },
      broken: ['no-public-api-inside'],
    },
    {
      what: 'refuses a module that is not in the table',
      files: { 'src/cli/a.ts': "import { x } from '../extra';\nexport const y = x;\n", 'src/extra/index.ts': 'export const x = 1;\n' },
      broken: ['unknown-module'],
    },
  ];
  for (const c of cases) {
    it(c.what, () => {
      assert.deepEqual(brokenRules(c.files), c.broken);
    });
  }
});
