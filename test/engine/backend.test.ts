import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { isUserError } from '../../src/errors';
import { selectBackend } from '../../src/engine';

const ROOT = path.resolve(__dirname, '../..');

/** Selects a backend in a fresh Node process (the choice is once per process) and reports it. */
const CHILD = `
const { selectBackend, engineInfo } = require('./src/engine');
(async () => {
  const first = await selectBackend();
  const second = await selectBackend();
  let switchError = null;
  try { await selectBackend({ force: first.backend === 'cpu' ? 'wasm' : 'cpu' }); } catch (e) { switchError = e.message; }
  console.log(JSON.stringify({ first, line: require('./src/engine').formatEngineInfo(first), same: first === second && engineInfo() === first, switchError,
    tfBackend: require('@tensorflow/tfjs').getBackend() }));
})().catch((e) => { console.log(JSON.stringify({ error: e.message, userError: e.name === 'UserError' })); });
`;

async function selectInChild(env: Record<string, string | undefined>) {
  const { stdout } = await promisify(execFile)(process.execPath, ['-r', 'ts-node/register/transpile-only', '-e', CHILD], {
    cwd: ROOT,
    env: { ...process.env, ...env },
  });
  return JSON.parse(stdout.trim().split('\n').pop() as string);
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected a rejection');
}

describe('engine', () => {
  describe('selectBackend', () => {
    const saved = process.env.DIGITS_BACKEND;
    afterEach(() => {
      if (saved == null) delete process.env.DIGITS_BACKEND;
      else process.env.DIGITS_BACKEND = saved;
    });

    it('rejects an unknown DIGITS_BACKEND value, listing the valid ones', async () => {
      process.env.DIGITS_BACKEND = 'gpu';
      const err = await rejection(selectBackend());
      assert.ok(isUserError(err));
      assert.match(err.message, /DIGITS_BACKEND="gpu".*node\|wasm\|cpu/);
    });

    it('fails clearly when DIGITS_BACKEND=node but tfjs-node is not installed', async function () {
      let installed = true;
      try {
        require.resolve('@tensorflow/tfjs-node');
      } catch {
        installed = false;
      }
      if (installed) this.skip();
      const report = await selectInChild({ DIGITS_BACKEND: 'node' }); // a fresh process: no backend chosen yet
      assert.equal(report.userError, true);
      assert.match(report.error, /^DIGITS_BACKEND=node: @tensorflow\/tfjs-node is not installed .*unset DIGITS_BACKEND or use wasm\|cpu$/);
    });

    it('picks wasm with SIMD when tfjs-node is missing, once per process', async () => {
      const report = await selectInChild({ DIGITS_BACKEND: undefined });
      assert.equal(report.error, undefined);
      assert.equal(report.first.backend, 'wasm');
      assert.equal(report.tfBackend, 'wasm');
      assert.equal(report.first.chosenBy, 'auto');
      assert.equal(report.first.simd, true);
      assert.ok(report.first.threads >= 1);
      assert.match(report.first.skipped[0], /^node: /);
      assert.ok(report.first.projectKernels.includes('Conv2DBackpropFilter'));
      assert.match(report.first.versions.tfjs, /^\d+\.\d+\.\d+$/);
      assert.equal(report.same, true);
      assert.match(report.switchError, /already in use/);
      assert.match(report.line, /^wasm \(SIMD, 1 thread; tfjs \d+\.\d+\.\d+, tfjs-backend-wasm \d+\.\d+\.\d+, node \d+/);
    });

    it('honours DIGITS_BACKEND=cpu', async () => {
      const report = await selectInChild({ DIGITS_BACKEND: 'cpu' });
      assert.equal(report.first.backend, 'cpu');
      assert.equal(report.tfBackend, 'cpu');
      assert.equal(report.first.chosenBy, 'DIGITS_BACKEND');
      assert.deepEqual(report.first.projectKernels, []);
    });
  });
});
