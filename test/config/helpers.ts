/** Writing experiment files into a temp folder and collecting a load's error message. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadExperiment, type LoadOptions } from '../../src/config/load';

export const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-config-'));

/** Writes `text` to <tmp>/<name> and returns the path. */
export function writeYaml(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The UserError message of loading this YAML text (fails the test if it loads). */
export function problemsOf(text: string, options?: LoadOptions, name = 'x.yaml'): string {
  const file = writeYaml(name, text);
  try {
    loadExperiment(file, options);
  } catch (err) {
    if ((err as Error).name !== 'UserError') throw err;
    return (err as Error).message;
  }
  throw new Error(`expected ${name} to be rejected:\n${text}`);
}
