import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from '../../tracking/fixtures';
import { digits, filledDb } from './helpers';

const bin = path.join(__dirname, '..', '..', '..', 'bin', 'digits.js');

/** One line on stderr, starting "digits: ", naming `what`, no stack trace; exit code 2. */
function assertOneLine(r: { code: number | null; stderr: string }, what: RegExp): void {
  assert.equal(r.code, 2, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0], /^digits: /);
  assert.match(lines[0], what);
  assert.doesNotMatch(r.stderr, /\n\s+at |internal error/);
}

describe('cli: damaged or unusable databases (one line, exit 2)', () => {
  const dir = tempDir('digits-dbfaults-');
  const good = filledDb().file;
  const bytes = fs.readFileSync(good);
  const cases: [string, () => string, RegExp][] = [
    ['a truncated database', () => write('truncated.sqlite', bytes.subarray(0, 100)), /is damaged or not a SQLite database/],
    ['a database cut after its first page', () => write('cut.sqlite', bytes.subarray(0, 4096)), /is damaged or not a SQLite database/],
    ['a garbage header', () => write('garbage.sqlite', Buffer.concat([Buffer.from('NOT A DATABASE!!'), bytes.subarray(16)])), /is damaged or not a SQLite database/],
    ['a text file', () => write('notes.txt', 'hello\n'.repeat(100)), /is damaged or not a SQLite database/],
    ['a directory', () => { fs.mkdirSync(path.join(dir, 'folder.sqlite'), { recursive: true }); return path.join(dir, 'folder.sqlite'); }, /is a folder/],
    ['/dev/null', () => '/dev/null', /not a regular file/],
    ['--db under a path that is a file', () => path.join(write('plain.txt', 'x'), 'digits.sqlite'), /a part of the path is a file/],
  ];
  function write(name: string, data: string | Buffer): string {
    fs.writeFileSync(path.join(dir, name), data);
    return path.join(dir, name);
  }
  for (const [name, make, what] of cases) {
    it(`${name}: runs, show and best say so in one line`, () => {
      const db = make();
      for (const args of [['runs'], ['show', 'abc'], ['best']]) assertOneLine(digits([...args, '--db', db]), what);
    });
  }

  it('a read-only database (another user\'s file): one line naming it and the fix', function () {
    if (process.getuid?.() !== 0) this.skip(); // needs to run the CLI as another user
    const ro = fs.mkdtempSync(path.join(dir, 'ro-'));
    fs.chmodSync(ro, 0o755);
    const copy = path.join(ro, 'digits.sqlite');
    fs.copyFileSync(good, copy);
    fs.chmodSync(copy, 0o644);
    const r = spawnSync(process.execPath, [bin, 'tag', 'x', 'a=b', '--db', copy], { encoding: 'utf8', uid: 65534, gid: 65534, env: { ...process.env, HOME: '/tmp' } });
    assertOneLine({ code: r.status, stderr: r.stderr }, /read-only|cannot be opened|no permission|permission denied/);
  });

  it('an unwritable --runs-dir (a file in the way) stops `digits run` before training, in one line', () => {
    const file = write('not-a-folder', 'x');
    const r = digits(['run', path.join(__dirname, '..', '..', '..', 'experiments', 'quickstart.yaml'), '--db', path.join(dir, 'new.sqlite'), '--runs-dir', path.join(file, 'runs')]);
    assertOneLine(r, /runs folder .*not-a-folder\/runs: a part of the path is a file/);
  });
});
