/**
 * Where MNIST lives: an explicit directory (the CLI's --data-dir) wins, then the environment variable
 * DIGITS_DATA_DIR, then the per-user cache folder ($XDG_CACHE_HOME or ~/.cache, + digit-lab/mnist).
 * The rule is strict on purpose: no other folder is searched.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UserError } from '../errors';
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

/**
 * False for a missing path; a folder this user may not look into is a UserError, not "missing":
 * it must not start a download next to files that are there.
 */
function isFile(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      const dir = path.dirname(p);
      throw new UserError(
        `cannot look into the MNIST folder ${dir}: permission denied (${code}); let this user read it (chmod a+rx ${dir}) ` +
          `or point --data-dir or ${DATA_DIR_ENV} at a readable copy`,
      );
    }
    return false;
  }
}
