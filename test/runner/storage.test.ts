import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { digits, readStore, startDigits, tinyGrid, type CliProcess } from './helpers';

/** Writes zeros into `file` until the file system is full. */
function fillDisk(file: string): void {
  const fd = fs.openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024);
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
}

/** Every file and folder under `dir` whose name marks an unfinished write. */
function leftovers(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => /(^|\/)\.staging-|\.tmp$/.test(f));
}

/**
 * A disk that fills up in the middle of a grid, on a real small file system (tmpfs) holding the
 * database and the run folders: the grid stops with one line, its runs are recorded interrupted
 * (never left running), the database stays sound, and a rerun after freeing space resumes.
 */
describe('runner on a full disk', function () {
  this.timeout(180_000);
  let dir: string;
  let mnt: string;
  let mounted = false;
  const started: CliProcess[] = [];

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-storage-'));
    mnt = path.join(dir, 'mnt');
    fs.mkdirSync(mnt);
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=8m', 'tmpfs', mnt], { encoding: 'utf8' });
    if (r.status !== 0) {
      console.log(`      (skipped: cannot mount a small tmpfs: ${(r.stderr || String(r.error)).trim()})`);
      this.skip();
    }
    mounted = true;
  });
  afterEach(() => {
    for (const p of started.splice(0)) if (p.child.exitCode === null && p.child.signalCode === null) process.kill(-(p.child.pid as number), 'SIGKILL');
  });
  after(() => {
    if (mounted) spawnSync('umount', ['-l', mnt]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('stops with one line, records its runs interrupted, stays consistent, and resumes once space is freed', async () => {
    const db = path.join(mnt, 'db.sqlite');
    const file = tinyGrid(dir, 'diskfull', [1, 2, 3, 4, 5, 6], 1500);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('epochs: 1', 'epochs: 2'));
    // The run folders on the same small disk as the database (run folders do not follow --db: name them).
    const args = ['run', file, '--workers', '1', '--db', db, '--runs-dir', mnt, '--no-report'];
    const grid = startDigits(args);
    started.push(grid);
    await grid.waitFor(/finished "seed=1"/);
    const filler = path.join(mnt, 'filler');
    fillDisk(filler);
    const r = await grid.done;

    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('digits:'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /^digits: cannot write the tracking database .*db\.sqlite or the run folders in .*: the disk is full \((SQLITE_FULL|ENOSPC)\); the grid stopped[.;] .*Free space .* run the same command again to resume\.$/);
    assert.doesNotMatch(r.stderr, /SqliteError|\n\s+at /);
    const { runs, integrity } = readStore(db);
    assert.equal(integrity, 'ok');
    assert.deepEqual(runs.filter((run) => run.status === 'running').map((run) => run.name), [], 'a run was left running');
    // The screen agrees with the database: every trial the view ended has that status stored.
    for (const [, word, name, id] of r.stderr.matchAll(/^(finished|FAILED|interrupted) "([^"]+)" \(run (\w+)\)/gm)) {
      assert.equal(runs.find((run) => run.id === id)?.status, word.toLowerCase(), `${name}: the screen said ${word}`);
    }
    // Depending on the moment the disk filled, the run in flight was recorded interrupted, or none had started yet.
    assert.ok(runs.every((run) => run.status === 'finished' || run.status === 'interrupted'), runs.map((run) => `${run.name}:${run.status}`).join(', '));
    assert.deepEqual(leftovers(mnt), []);
    const list = await digits(['runs', '--db', db]);
    assert.equal(list.code, 0, list.stderr);

    fs.rmSync(filler);
    const again = await digits(args);
    assert.equal(again.code, 0, again.stderr);
    const interrupted = runs.filter((run) => run.status === 'interrupted').map((run) => run.id);
    for (const id of interrupted) assert.match(again.stderr, new RegExp(`resuming "seed=\\d" as run ${id}`));
    const after = readStore(db);
    assert.equal(after.integrity, 'ok');
    assert.deepEqual(after.runs.map((run) => run.status), new Array(6).fill('finished'));
    assert.deepEqual(leftovers(mnt), []);
  });

  it('a runs folder that turns unwritable mid-grid (run as nobody; root ignores permissions): one line, runs interrupted, resumes', async function () {
    const probe = spawnSync('runuser', ['-u', 'nobody', '--', process.execPath, '-e', '0']);
    if (probe.status !== 0) {
      console.log(`      (skipped: cannot run a process as user nobody: ${String(probe.stderr || probe.error)})`);
      return this.skip();
    }
    fs.chmodSync(dir, 0o755); // nobody must reach the files below
    const home = fs.mkdtempSync(path.join(dir, 'ro-'));
    fs.chmodSync(home, 0o777);
    const runsDir = path.join(home, 'runs');
    fs.mkdirSync(runsDir, { mode: 0o777 });
    fs.chmodSync(runsDir, 0o777);
    const db = path.join(home, 'db.sqlite');
    const file = tinyGrid(home, 'readonly', [1, 2, 3, 4], 1500);
    fs.chmodSync(file, 0o644);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('epochs: 1', 'epochs: 2'));
    const args = ['run', file, '--workers', '1', '--db', db, '--runs-dir', runsDir, '--no-report'];
    const env = { XDG_CACHE_HOME: path.join(home, 'cache') };
    const asNobody = (argv: string[]) => startDigits(argv, env, ['runuser', '-u', 'nobody', '--', process.execPath]);
    const grid = asNobody(args);
    started.push(grid);
    await grid.waitFor(/finished "seed=1"/);
    fs.chmodSync(runsDir, 0o555);
    const r = await grid.done;
    assert.equal(r.code, 2, r.stderr);
    const lines = r.stderr.split('\n').filter((l) => l.startsWith('digits:'));
    assert.equal(lines.length, 1, r.stderr);
    assert.match(lines[0], /: permission denied \((EACCES|EPERM)\); the grid stopped; runs? \w+ recorded interrupted\. .*run the same command again to resume\.$/);
    const { runs, integrity } = readStore(db);
    assert.equal(integrity, 'ok');
    assert.deepEqual(runs.filter((run) => run.status === 'running').map((run) => run.name), []);
    for (const [, word, name, id] of r.stderr.matchAll(/^(finished|FAILED|interrupted) "([^"]+)" \(run (\w+)\)/gm)) {
      assert.equal(runs.find((run) => run.id === id)?.status, word.toLowerCase(), `${name}: the screen said ${word}`);
    }
    fs.chmodSync(runsDir, 0o777);
    const again = await asNobody(args).done;
    assert.equal(again.code, 0, again.stderr);
    assert.deepEqual(readStore(db).runs.map((run) => run.status), new Array(4).fill('finished'));
  });
});
