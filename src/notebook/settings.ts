/**
 * What the notebooks read from the environment, in one place: where data and runs live (the same
 * rules as the CLI) and how big the interactive run is. `npm run test:notebooks` sets
 * DIGITS_NOTEBOOK_QUICK=1 and a temporary DIGITS_DB to execute them fast and without side effects.
 */
import { UserError } from '../errors';
import { resolveDataDir } from '../data';
import { defaultDbPath, runsDirFor } from '../tracking';

export const QUICK_ENV = 'DIGITS_NOTEBOOK_QUICK';
export const TRAIN_LIMIT_ENV = 'DIGITS_TRAIN_LIMIT';

export interface NotebookSettings {
  /** DIGITS_NOTEBOOK_QUICK=1: tiny sizes, for the headless notebook test. */
  quick: boolean;
  /** MNIST folder: $DIGITS_DATA_DIR, else the user cache (as the CLI). */
  dataDir: string;
  /** Tracking database: $DIGITS_DB, else runs/digits.sqlite in the project (as the CLI). */
  dbFile: string;
  /** The runs folder: $DIGITS_RUNS_DIR, else runs/ in the project (as the CLI). */
  runsDir: string;
  /** Training images of the interactive run: $DIGITS_TRAIN_LIMIT, else 3000 (quick: 600). */
  trainLimit: number;
  /** Test images evaluated: all (quick: 1000). */
  testLimit: number | null;
  epochs: number;
}

/**
 * The notebooks' settings from `env`.
 * @example const settings = notebookSettings(); const mnist = await loadMnist({ dataDir: settings.dataDir });
 */
export function notebookSettings(env: NodeJS.ProcessEnv = process.env): NotebookSettings {
  const quick = env[QUICK_ENV] === '1' || env[QUICK_ENV] === 'true';
  const dbFile = defaultDbPath(env.DIGITS_DB || undefined);
  return {
    quick,
    dataDir: resolveDataDir(undefined, env).dir,
    dbFile,
    runsDir: runsDirFor(undefined, env),
    trainLimit: trainLimit(env[TRAIN_LIMIT_ENV], quick ? 600 : 3000),
    testLimit: quick ? 1000 : null,
    epochs: 2,
  };
}

function trainLimit(raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 20 || n > 60000) {
    throw new UserError(`${TRAIN_LIMIT_ENV} must be a whole number from 20 to 60000, got "${raw}"; unset it for the default (3000).`);
  }
  return n;
}
