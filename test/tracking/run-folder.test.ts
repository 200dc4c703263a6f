import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { openStore, PROJECT_ROOT, readRunArtifacts, runFolderPath, runsDirFor } from '../../src/tracking';
import { MIGRATIONS } from '../../src/tracking/schema';
import { evaluation, finishedRun, provenance, spec, summary, tempDir } from './fixtures';

describe('tracking/run-folder', () => {
  describe('runsDirFor', () => {
    it('is --runs-dir, else DIGITS_RUNS_DIR, else runs/ of the project, never the folder of DIGITS_DB', () => {
      assert.equal(runsDirFor('x/runs', { DIGITS_RUNS_DIR: '/elsewhere' }), path.resolve('x/runs'));
      assert.equal(runsDirFor(undefined, { DIGITS_RUNS_DIR: '/elsewhere' }), '/elsewhere');
      assert.equal(runsDirFor(undefined, { DIGITS_DB: '/x/db.sqlite' }), path.join(PROJECT_ROOT, 'runs'));
    });
  });

  describe('runFolderPath', () => {
    it('keeps every run folder inside the runs folder', () => {
      assert.equal(runFolderPath('/r', 'mi9x2k1qa7f3'), '/r/mi9x2k1qa7f3');
      for (const bad of ['..', '../x', 'a/b', '.hidden', '']) assert.throws(() => runFolderPath('/r', bad), { name: 'UserError' });
    });
  });

  describe('stored paths', () => {
    it('are relative to the runs folder, so a copied project folder finds its own copies', () => {
      const root = tempDir();
      const project = path.join(root, 'project');
      const store = openStore(path.join(project, 'runs', 'digits.sqlite'), { runsDir: path.join(project, 'runs') });
      const id = finishedRun(store, 'e', 'a', spec(), 0.9, 0.9);
      store.startRun(id, provenance(), runFolderPath(store.runsDir, id));
      store.finishRun(id, { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.9) });
      store.close();
      const raw = new Database(path.join(project, 'runs', 'digits.sqlite'));
      assert.equal((raw.prepare('SELECT artifact_dir FROM runs WHERE id = ?').get(id) as { artifact_dir: string }).artifact_dir, id);
      raw.close();
      fs.cpSync(project, path.join(root, 'copy'), { recursive: true });
      const copy = openStore(path.join(root, 'copy', 'runs', 'digits.sqlite'), { runsDir: path.join(root, 'copy', 'runs') });
      assert.equal(copy.getRun(id)?.artifactDir, path.join(root, 'copy', 'runs', id));
      copy.close();
    });
  });

  describe('migration to V2', () => {
    it('makes artifact paths inside the runs folder relative, keeps others, claims folders beside the database and drops class_metrics', () => {
      const root = tempDir();
      const runsDir = path.join(root, 'runs');
      const file = path.join(runsDir, 'digits.sqlite');
      fs.mkdirSync(path.join(runsDir, 'old1'), { recursive: true });
      fs.mkdirSync(path.join(root, 'elsewhere', 'old2'), { recursive: true });
      const v1 = new Database(file);
      v1.exec(MIGRATIONS[0] as string);
      v1.pragma('user_version = 1');
      const insert = v1.prepare("INSERT INTO runs (id, experiment, name, trial_hash, status, spec, seed, created_at, artifact_dir) VALUES (?, 'e', ?, 'h', 'finished', ?, 1, '2026-01-01T00:00:00.000Z', ?)");
      insert.run('old1', 'a', JSON.stringify(spec()), path.join(runsDir, 'old1'));
      insert.run('old2', 'b', JSON.stringify(spec()), path.join(root, 'elsewhere', 'old2'));
      v1.prepare("INSERT INTO class_metrics (run_id, split, label, precision, recall, f1, support) VALUES ('old1', 'test', 0, 1, 1, 1, 5)").run();
      v1.close();

      const store = openStore(file, { runsDir });
      assert.equal(store.getRun('old1')?.artifactDir, path.join(runsDir, 'old1'));
      assert.equal(store.getRun('old2')?.artifactDir, path.join(root, 'elsewhere', 'old2'));
      store.close();
      const raw = new Database(file);
      const stored = raw.prepare('SELECT id, artifact_dir FROM runs ORDER BY id').all();
      assert.deepEqual(stored, [{ id: 'old1', artifact_dir: 'old1' }, { id: 'old2', artifact_dir: path.join(root, 'elsewhere', 'old2') }]);
      assert.deepEqual(raw.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'class_metrics'").get(), { n: 0 });
      raw.close();
      assert.deepEqual(JSON.parse(fs.readFileSync(path.join(runsDir, 'old1', 'tracking.json'), 'utf8')), { runId: 'old1', database: '../digits.sqlite' });
      assert.equal(fs.existsSync(path.join(root, 'elsewhere', 'old2', 'tracking.json')), false, 'a folder elsewhere is not claimed');
    });
  });
  describe('readRunArtifacts on damaged files', () => {
    it('names the damaged file in one user error when a JSON file holds null or the wrong shape', () => {
      const dir = path.join(tempDir(), 'run1');
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify(spec()));
      fs.writeFileSync(path.join(dir, 'test-probs.bin'), Buffer.alloc(40));
      const damaged: [string, string, RegExp][] = [
        ['test-probs.json', 'null', /test-probs\.json: holds null, not an object; the run folder is damaged/],
        ['test-probs.json', '{}', /test-probs\.json: does not describe \[N, 10\] float32 probabilities/],
        ['calibration.json', 'null', /calibration\.json: holds null, not an object/],
        ['calibration.json', '{}', /calibration\.json: temperature null is not above 0 and unsureBelow null is not from 0 to 1; re-fit it/],
        ['history.json', '{"a": 1}', /history\.json: holds .*, not a list/],
      ];
      for (const [name, text, message] of damaged) {
        fs.writeFileSync(path.join(dir, name), text);
        assert.throws(() => readRunArtifacts(dir), (err: Error) => err.name === 'UserError' && message.test(err.message), `${name} = ${text}`);
        fs.rmSync(path.join(dir, name));
      }
    });
  });
});
