import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { jupyterEnv, jupyterPython, kernelSpec, registerKernel } from '../../scripts/notebooks/kernel';
import { tempDir } from './fixtures';

describe('notebook', () => {
  describe('kernelSpec', () => {
    it('starts tslab in the project root with ts-node and the preload, passing the connection file', () => {
      const spec = kernelSpec('/p r/oj', '/usr/bin/node') as { argv: string[]; display_name: string };
      assert.deepEqual(spec.argv.slice(3), ['/p r/oj', '/usr/bin/node', '/p r/oj/scripts/notebooks/kernel-preload.ts', '{connection_file}']);
      assert.match(spec.argv[2], /^cd "\$0" && exec "\$1" -r ts-node\/register\/transpile-only -r "\$2" node_modules\/tslab\/bin\/tslab kernel --config-path "\$3"$/);
      assert.equal(spec.display_name, 'TypeScript (digit-lab)');
    });
  });

  describe('registerKernel', () => {
    it('writes .jupyter/kernels/digit-lab/kernel.json under the given root', () => {
      const root = tempDir();
      try {
        const file = registerKernel(root);
        assert.equal(file, path.join(root, '.jupyter', 'kernels', 'digit-lab', 'kernel.json'));
        assert.equal(JSON.parse(fs.readFileSync(file, 'utf8')).argv[3], root);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  });

  describe('jupyterEnv', () => {
    it('puts the project folder first on JUPYTER_PATH and keeps the user’s entries', () => {
      assert.equal(jupyterEnv({ JUPYTER_PATH: '/a:/b' }, '/root').JUPYTER_PATH, '/root/.jupyter:/a:/b');
      assert.equal(jupyterEnv({}, '/root').JUPYTER_PATH, '/root/.jupyter');
    });
  });

  describe('jupyterPython', () => {
    it('takes the interpreter from the shebang of jupyter-nbconvert on PATH', () => {
      const dir = tempDir();
      try {
        fs.writeFileSync(path.join(dir, 'jupyter-nbconvert'), '#!/opt/py/bin/python3.11\nimport sys\n');
        assert.equal(jupyterPython({ PATH: `/nonexistent:${dir}` }), '/opt/py/bin/python3.11');
        fs.writeFileSync(path.join(dir, 'jupyter-nbconvert'), '#!/usr/bin/env python3\n');
        assert.equal(jupyterPython({ PATH: dir }), 'python3');
        assert.equal(jupyterPython({ PATH: '/nonexistent' }), 'python3');
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
