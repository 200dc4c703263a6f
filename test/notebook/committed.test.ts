/**
 * The notebooks as committed: outputs cleared (the executed copies live in test-output/), small,
 * on the project kernel, and importing only the public API.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';

const DIR = path.resolve(__dirname, '..', '..', 'notebooks');
const MAX_BYTES = 40_000;
const ALLOWED_IMPORTS = new Set(['./src', 'tslab']);

interface Cell {
  cell_type: string;
  source: string | string[];
  outputs?: unknown[];
  execution_count?: number | null;
}

function read(file: string): { cells: Cell[]; metadata: { kernelspec?: { name?: string } } } {
  return JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8'));
}

const text = (cell: Cell) => (Array.isArray(cell.source) ? cell.source.join('') : cell.source);
const notebooks = fs.readdirSync(DIR).filter((f) => f.endsWith('.ipynb')).sort();

describe('notebooks (as committed)', () => {
  it('are the three notebooks of the project', () => {
    assert.deepEqual(notebooks, ['01-data.ipynb', '02-train.ipynb', '03-compare.ipynb']);
  });

  for (const file of notebooks) {
    describe(file, () => {
      it(`has no outputs and no execution counts (clear them before committing), and is under ${MAX_BYTES / 1000} kB`, () => {
        const nb = read(file);
        const dirty = nb.cells
          .map((c, i) => ({ c, i }))
          .filter(({ c }) => c.cell_type === 'code' && ((c.outputs ?? []).length > 0 || c.execution_count != null))
          .map(({ i }) => i);
        assert.deepEqual(dirty, [], `cells with outputs or counts in notebooks/${file}: Jupyter's "Clear All Outputs", then save`);
        assert.ok(fs.statSync(path.join(DIR, file)).size < MAX_BYTES);
      });

      it('runs on the project kernel', () => {
        assert.equal(read(file).metadata.kernelspec?.name, 'digit-lab');
      });

      it("imports only the public API ('./src') and tslab", () => {
        const specifiers = read(file)
          .cells.filter((c) => c.cell_type === 'code')
          .flatMap((c) => [...text(c).matchAll(/(?:from|import|require\()\s*['"]([^'"]+)['"]/g)].map((m) => m[1]));
        assert.ok(specifiers.includes('./src'), 'the notebook uses the public API');
        assert.deepEqual(specifiers.filter((s) => !ALLOWED_IMPORTS.has(s)), []);
      });
    });
  }
});
