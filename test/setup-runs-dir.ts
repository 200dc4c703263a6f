/**
 * Loaded by mocha before any test (.mocharc.json): run folders of a CLI process or store that names
 * no runs folder go to a temporary one, never into the project's runs/ (the default since run folders
 * stopped following --db). Child processes inherit it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

if (!process.env.DIGITS_RUNS_DIR) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-test-runs-'));
  process.env.DIGITS_RUNS_DIR = path.join(dir, 'runs');
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
}
