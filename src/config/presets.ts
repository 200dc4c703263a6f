/**
 * Presets are experiment files in experiments/presets/: `digits train --preset NAME` trains one,
 * and a file extends one with `extends: preset:NAME` (or its relative path). They go through the
 * same resolver as every other experiment, so they hold only what differs from the defaults.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';

/** experiments/presets/ of this package (two levels above src/config and dist/config alike). */
export const PRESETS_DIR = path.resolve(__dirname, '..', '..', 'experiments', 'presets');

/** Names of every preset, sorted. */
export function presetNames(): string[] {
  return fs.readdirSync(PRESETS_DIR).filter((f) => f.endsWith('.yaml')).map((f) => f.slice(0, -'.yaml'.length)).sort();
}

/**
 * The file of a preset.
 * @example presetFile('cnn-strong') // '/.../experiments/presets/cnn-strong.yaml'
 * @throws UserError naming the presets when there is no such preset.
 */
export function presetFile(name: string): string {
  const names = presetNames();
  if (!names.includes(name)) throw new UserError(`preset ${JSON.stringify(name)} does not exist; use one of: ${names.join(', ')}`);
  return path.join(PRESETS_DIR, `${name}.yaml`);
}
