import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { openStore, runFolderPath } from '../../../src/tracking';
import { evaluation, finishedRun, provenance, spec, summary, tempDir } from '../../tracking/fixtures';
import { digits } from './helpers';

/** A project folder: runs/digits.sqlite and one finished run with its folder in runs/. */
function project(root: string): { runsDir: string; db: string; id: string } {
  const runsDir = path.join(root, 'runs');
  const db = path.join(runsDir, 'digits.sqlite');
  const store = openStore(db, { runsDir });
  const id = finishedRun(store, 'e', 'a', spec(), 0.9, 0.9);
  const dir = runFolderPath(runsDir, id);
  store.startRun(id, provenance(), dir);
  fs.writeFileSync(path.join(dir, 'config.json'), '{}');
  store.finishRun(id, { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.9) });
  store.close();
  return { runsDir, db, id };
}

describe('cli/commands/rm', () => {
  it('on a copied database never deletes the original project\'s run folder', () => {
    const root = tempDir('digits-rm-');
    const original = project(path.join(root, 'project'));
    const copy = path.join(root, 'copy.sqlite');
    fs.copyFileSync(original.db, copy);
    // The copy's rows name the same run folder, in the same runs folder.
    const r = digits(['rm', original.id, '--yes', '--db', copy], { DIGITS_RUNS_DIR: original.runsDir });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`^deleted ${original.id}\\n$`));
    assert.match(r.stderr, /kept the folder .*: it belongs to the database .*project\/runs\/digits\.sqlite/);
    assert.ok(fs.existsSync(path.join(original.runsDir, original.id, 'config.json')), 'the original folder is intact');
    const store = openStore(original.db, { runsDir: original.runsDir });
    assert.equal(store.getRun(original.id)?.status, 'finished', 'the original database still has the run');
    store.close();
  });

  it('in a copied project folder deletes the copy\'s folder and not the original\'s', () => {
    const root = tempDir('digits-rm-');
    const original = project(path.join(root, 'project'));
    fs.cpSync(path.join(root, 'project'), path.join(root, 'copied'), { recursive: true });
    const runsDir = path.join(root, 'copied', 'runs');
    const r = digits(['rm', original.id.slice(0, 8), '-y', '--db', path.join(runsDir, 'digits.sqlite'), '--runs-dir', runsDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.existsSync(path.join(runsDir, original.id)), false, 'the copy\'s folder is gone');
    assert.ok(fs.existsSync(path.join(original.runsDir, original.id, 'config.json')), 'the original folder is intact');
  });

  it('with a database elsewhere, deletes its own run folder from the runs folder', () => {
    const root = tempDir('digits-rm-');
    const runsDir = path.join(root, 'runs');
    const db = path.join(root, 'x', 'db.sqlite');
    const store = openStore(db, { runsDir });
    const id = finishedRun(store, 'e', 'a', spec(), 0.9, 0.9);
    store.startRun(id, provenance(), runFolderPath(runsDir, id));
    store.finishRun(id, { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.9) });
    store.close();
    assert.ok(fs.existsSync(path.join(runsDir, id)));
    assert.equal(fs.existsSync(path.join(root, 'x', id)), false, 'not beside the database');
    const r = digits(['rm', id, '-y', '--db', db, '--runs-dir', runsDir]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(fs.existsSync(path.join(runsDir, id)), false);
  });
});
