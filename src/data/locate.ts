/**
 * Where MNIST lives: an explicit directory (the CLI's --data-dir) wins, then the environment variable
 * DIGITS_DATA_DIR, then the per-user cache folder ($XDG_CACHE_HOME or ~/.cache, + digit-lab/mnist).
 * The rule is strict on purpose: no other folder is searched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MnistFile } from './files';

export const DATA_DIR_ENV = 'DIGITS_DATA_DIR';

export type DataDirSource = 'option' | 'env' | 'cache';

export interface DataDir {
  dir: string; // absolute
  source: DataDirSource;
}

/** The per-user cache root of digit-lab: $XDG_CACHE_HOME/digit-lab or ~/.cache/digit-lab. */
export function userCacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME) ? env.XDG_CACHE_HOME : path.join(os.homedir(), '.cache');
  return path.join(base, 'digit-lab');
}

/**
 * Resolves the MNIST folder: explicit > $DIGITS_DATA_DIR > <cache root>/mnist.
 * @example resolveDataDir(argv.dataDir).dir
 */
export function resolveDataDir(explicit?: string, env: NodeJS.ProcessEnv = process.env): DataDir {
  if (explicit) return { dir: path.resolve(explicit), source: 'option' };
  const fromEnv = env[DATA_DIR_ENV];
  if (fromEnv) return { dir: path.resolve(fromEnv), source: 'env' };
  return { dir: path.join(userCacheRoot(env), 'mnist'), source: 'cache' };
}

/** The path of a present MNIST file in `dir` (`<name>.gz` preferred over raw `<name>`), or null. */
export function findMnistFile(dir: string, file: MnistFile): string | null {
  for (const candidate of [`${file.name}.gz`, file.name]) {
    const p = path.join(dir, candidate);
    if (isFile(p)) return p;
  }
  return null;
}

function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}
