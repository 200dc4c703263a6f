/**
 * Scanning a runs folder without a database (web's folder catalog, `digits evaluate` without one):
 * which folders are run folders, and their config and metrics read leniently (damage means "skip").
 * Part of the run-folder module (run-folder.ts owns the layout).
 */
import fs from 'node:fs';
import path from 'node:path';
import { canPredict, RUN_FOLDER_NAME } from './run-folder';

/** config.json of a run folder as plain JSON, or null when missing or unreadable (for listings that tolerate damage). */
export function peekRunConfig(dir: string): Record<string, unknown> | null {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8'));
  } catch {
    return null;
  }
}

/** metrics.json as plain JSON, or null when missing or unreadable (for listings that tolerate damage). */
export function peekRunMetrics(dir: string): { value: Record<string, unknown>; mtime: Date } | null {
  const file = path.join(dir, 'metrics.json');
  try {
    return { value: JSON.parse(fs.readFileSync(file, 'utf8')), mtime: fs.statSync(file).mtime };
  } catch {
    return null;
  }
}

/** The names of the folders in `runsDir` that can be run folders (empty when it is missing). */
export function runFolderNames(runsDir: string): string[] {
  try {
    return fs.readdirSync(runsDir, { withFileTypes: true }).filter((e) => e.isDirectory() && RUN_FOLDER_NAME.test(e.name)).map((e) => e.name);
  } catch {
    return [];
  }
}

/** The run folder names in `runsDir` that can predict (see canPredict; empty when the folder is missing). */
export function runFoldersWithModel(runsDir: string): string[] {
  return runFolderNames(runsDir).filter((id) => canPredict(path.join(runsDir, id)));
}
