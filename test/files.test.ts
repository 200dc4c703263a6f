/** writeFileAtomic on what a user may name as an output (`digits export -o`, `digits report -o`). */
import { strict as assert } from 'node:assert';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { makeFolders, writeFileAtomic } from '../src/files';
import { openStore } from '../src/tracking/open';
import { digits } from './cli/commands/helpers';

describe('files/writeFileAtomic', () => {
  let dir: string;
  beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-files-'))));
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('replaces a regular file whole and leaves no .tmp', () => {
    const file = path.join(dir, 'a.csv');
    fs.writeFileSync(file, 'old');
    writeFileAtomic(file, 'new');
    assert.equal(fs.readFileSync(file, 'utf8'), 'new');
    assert.deepEqual(fs.readdirSync(dir), ['a.csv']);
  });

  it('follows a symbolic link: the link stays and its target gets the data', () => {
    fs.writeFileSync(path.join(dir, 'target.csv'), 'old');
    fs.symlinkSync('target.csv', path.join(dir, 'link.csv'));
    writeFileAtomic(path.join(dir, 'link.csv'), 'new');
    assert.ok(fs.lstatSync(path.join(dir, 'link.csv')).isSymbolicLink(), 'still a link');
    assert.equal(fs.readFileSync(path.join(dir, 'target.csv'), 'utf8'), 'new');
  });

  it('writes into a named pipe instead of replacing it with a file', async function () {
    const fifo = path.join(dir, 'fifo');
    if (spawnSync('mkfifo', [fifo]).status !== 0) return this.skip();
    // A reader in another process, as `digits export -o fifo` would have one.
    const reader = spawn('cat', [fifo], { stdio: ['ignore', 'pipe', 'ignore'] });
    let read = '';
    reader.stdout.on('data', (d) => (read += d));
    const closed = new Promise((resolve) => reader.on('close', resolve));
    writeFileAtomic(fifo, 'through the pipe');
    await closed;
    assert.equal(read, 'through the pipe');
    assert.ok(fs.statSync(fifo).isFIFO(), 'still a pipe');
  });

  it('makeFolders creates missing parents, and fails at once where Node\'s recursive mkdir never returns (/proc)', () => {
    makeFolders(path.join(dir, 'a', 'b', 'c'));
    assert.ok(fs.statSync(path.join(dir, 'a', 'b', 'c')).isDirectory());
    makeFolders(path.join(dir, 'a', 'b', 'c')); // already there: nothing to do
    if (!fs.existsSync('/proc/self')) return;
    assert.throws(() => makeFolders('/proc/digits-test/x'), (err: NodeJS.ErrnoException) => err.code === 'ENOENT');
  });

  it('digits export -o a device node writes into the device and leaves it a device (root only: mknod)', function () {
    const device = path.join(dir, 'null');
    if (spawnSync('mknod', ['-m', '666', device, 'c', '1', '3']).status !== 0) {
      console.log('      (skipped: mknod needs root)');
      return this.skip();
    }
    const db = path.join(dir, 'db.sqlite');
    openStore(db, { runsDir: dir }).close(); // an empty database: export writes its header line
    const r = digits(['export', '--format', 'csv', '-o', device, '--db', db, '--runs-dir', dir]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(fs.statSync(device).isCharacterDevice(), 'still the null device, not a file');
  });
});
