/**
 * The command line before yargs reads it. `--sort -test_accuracy` would read as short flags
 * -t -e -s ... to yargs; options whose values may start with "-" get their value attached
 * (`--sort=-test_accuracy`) before parsing. Options given an empty value are refused.
 */
import { UserError } from '../../errors';

const DASH_VALUE_OPTIONS = new Set(['--sort', '-s']);

/**
 * Refuses an option given an empty value (`--host=`, `--host ""`, `-o ''`): yargs reads it as unset
 * or 0, so `serve --host=` would listen on every interface and `--seed=` train seed 0. Positional
 * arguments may be empty (`digits note <run> ""`), and so may anything after `--`.
 */
export function refuseEmptyOptionValues(argv: string[]): void {
  if (argv.includes('--get-yargs-completions')) return; // the shell asks to complete an empty word
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') return;
    const joined = /^(--?[^=\s]+)=$/.exec(arg);
    const flag = joined ? joined[1] : arg === '' && /^--?[A-Za-z]/.test(argv[i - 1] ?? '') && !(argv[i - 1] ?? '').includes('=') ? argv[i - 1] : null;
    if (flag) throw new UserError(`${flag} is empty; give it a value, or leave it out for its default (see digits <command> --help)`);
  }
}

/** Joins `--sort -x` into `--sort=-x`; everything else passes through unchanged. */
export function attachDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (DASH_VALUE_OPTIONS.has(argv[i]) && next !== undefined && /^-[A-Za-z_]/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}

/**
 * How a user writes an option given yargs' key for it: `batchSize` -> `--batch-size`, `o` -> `-o`.
 * @example flagName('reportDir') // '--report-dir'
 */
export function flagName(key: string): string {
  return key.length === 1 ? `-${key}` : `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
}
