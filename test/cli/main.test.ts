import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defaultRunSpec } from '../../src/config';
import { openStore } from '../../src/tracking/open';

const bin = path.join(__dirname, '..', '..', 'bin', 'digits.js');

/** Runs the built `digits` command the way a user would. */
export function runDigits(args: string[], env: NodeJS.ProcessEnv = {}) {
  const r = spawnSync(process.execPath, [bin, ...args], {
    cwd: path.join(__dirname, '..', '..'),
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

    it('ends quietly (exit 0, no stack) when the reader of its output stops early, as `digits runs --all | head` does', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-epipe-'));
      try {
        const db = path.join(dir, 'many.sqlite');
        const store = openStore(db, { runsDir: dir });
        for (let i = 0; i < 1000; i++) store.createRun({ experiment: 'e', name: `run ${i}`, trialHash: `h${i}`, spec: defaultRunSpec(), seed: i });
        store.close();
        for (const args of [['runs', '--all'], ['export', '--format', 'jsonl']]) {
          const child = spawn(process.execPath, [bin, ...args, '--db', db, '--runs-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
          let stderr = '';
          child.stderr.on('data', (d) => (stderr += d));
          child.stdout.once('data', () => child.stdout.destroy()); // the reader goes away after the first chunk
          const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
          assert.equal(stderr, '', `digits ${args.join(' ')}`);
          assert.equal(code, 0, `digits ${args.join(' ')}`);
        }
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('refuses an option given an empty value in one line (serve --host= would listen on every interface; --seed= would train seed 0)', () => {
      for (const args of [['serve', '--host='], ['serve', '--host', ''], ['train', '--seed='], ['report', '-o', ''], ['runs', '--where=']]) {
        const r = runDigits(args);
        assert.equal(r.code, 2, `${args.join(' ')}: ${r.stderr}`);
        assert.match(r.stderr, /^digits: (--host|--seed|-o|--where) is empty; give it a value, or leave it out for its default/);
        assert.equal(r.stderr.split('\n').filter(Boolean).length, 1);
      }
    });

    it('words an invalid choice in one line with the choices', () => {
      const r = runDigits(['runs', '--status', 'bogus']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'digits: --status "bogus" is not one of "queued", "running", "finished", "failed", "interrupted"; choose one of them (see --help)\n');
    });

    it('says a one-value flag was given twice, while collecting flags (--set) still collect', () => {
      const r = runDigits(['train', '--epochs', '3', '--epochs', '2']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr, 'digits: --epochs was given 2 times (3, 2); give it once\n');
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-twice-'));
      try {
        const collected = runDigits(['run', 'experiments/quickstart.yaml', '--dry-run', '--set', 'train.epochs=1', '--set', 'seed=3', '--db', path.join(dir, 'db.sqlite'), '--runs-dir', dir]);
        assert.equal(collected.code, 0, collected.stderr);
        assert.match(collected.stdout, /epochs=1/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it('lists the commands with --help', () => {
      const r = runDigits(['--help']);
      assert.equal(r.code, 0);
      assert.match(r.stdout, /digits info/);
    });

    it('prints the version of package.json with --version', () => {
      const r = runDigits(['--version']);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, `${JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'package.json'), 'utf8')).version}\n`);
    });

    it('prints a bash completion script, and completes command names and options through it', () => {
      const script = runDigits(['completion']);
      assert.equal(script.code, 0);
      assert.match(script.stdout, /complete -o bashdefault -o default -F _digits_yargs_completions digits/);
      const commands = runDigits(['--get-yargs-completions', 'digits', 'ru']);
      assert.ok(['run', 'runs', 'rerun'].every((c) => commands.stdout.split('\n').includes(c)), commands.stdout);
      const options = runDigits(['--get-yargs-completions', 'digits', 'run', '--w']);
      assert.ok(options.stdout.split('\n').includes('--workers'), options.stdout);
      // Completing an empty word after a flag (the shell passes ""): the flag's choices, not "is empty".
      const values = runDigits(['--get-yargs-completions', 'digits', 'runs', '--status', '']);
      assert.equal(values.code, 0, values.stderr);
      assert.ok(values.stdout.split('\n').includes('finished'), values.stdout);
    });

    it('says in one line how to name the file when `digits run` has none, exit 2', () => {
      const r = runDigits(['run']);
      assert.equal(r.code, 2);
      assert.equal(r.stderr.split('\n').length, 2, r.stderr);
      assert.match(r.stderr, /^digits: run needs an experiment file, e\.g\. `digits run experiments\/quickstart\.yaml`; experiments\/ holds .*quickstart\.yaml/);
      assert.doesNotMatch(r.stderr, /Not enough non-option arguments/);
    });
  });
});
