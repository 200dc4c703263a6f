import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const bin = path.join(__dirname, '..', '..', 'bin', 'digits.js');

/** Runs the built `digits` command the way a user would. */
export function runDigits(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('cli/main', () => {
  describe('main', () => {
    it('exits 2 with one clean line for an unknown command', () => {
      const r = runDigits(['no-such-command']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^digits: .*no-such-command/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });

    it('lists the commands with --help', () => {
      const r = runDigits(['--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /digits info/);
    });
  });
});
