import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { canonicalJson } from '../../src/config/hash';
import { loadExperiment, loadTrial } from '../../src/config/load';
import { PRESETS_DIR, presetFile, presetNames } from '../../src/config/presets';
import { problemsOf, writeYaml } from './helpers';

/** Every path to a leaf of a parsed YAML value (list items by index; a list of scalars is one leaf). */
function leaves(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (Array.isArray(value) && value.some((v) => v !== null && typeof v === 'object')) return value.flatMap((v, i) => leaves(v, [...at, i]));
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
  return [at];
}

function without(value: unknown, p: (string | number)[]): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const seg of p.slice(0, -1)) node = node[seg] as Record<string | number, unknown>;
  delete node[p[p.length - 1]];
  return copy;
}

describe('config/presets', () => {
  describe('presetNames', () => {
    it('lists the preset files', () => {
      assert.deepEqual(presetNames(), ['cnn-deep', 'cnn-default', 'cnn-strided', 'cnn-strided-3', 'cnn-strong', 'cnn-tiny', 'gru-128', 'lstm-128']);
    });
  });

  describe('presetFile', () => {
    it('refuses an unknown name, listing the presets', () => {
      assert.throws(() => presetFile('cnn-huge'), { name: 'UserError', message: /preset "cnn-huge" does not exist; use one of: cnn-deep, cnn-default/ });
    });
  });

  describe('preset files', () => {
    for (const name of presetNames()) {
      it(`${name}: one trial named after its file, restating no default`, () => {
        const trial = loadTrial({ preset: name });
        assert.equal(trial.name, name);
        const own = parse(fs.readFileSync(path.join(PRESETS_DIR, `${name}.yaml`), 'utf8')) as Record<string, unknown>;
        const { name: _n, description: _d, extends: ext, ...spec } = own;
        // What the file writes, resolved alone or over what it extends, must change when any one line is taken out.
        // (A file the line's removal makes invalid needed the line too.)
        const resolved = (data: unknown) => {
          const text = JSON.stringify({ ...(data as object), ...(ext ? { extends: path.join(PRESETS_DIR, String(ext)) } : {}) });
          try {
            return canonicalJson(loadExperiment(writeYaml(`${name}-probe.yaml`, text)).base);
          } catch (err) {
            return (err as Error).message;
          }
        };
        const whole = resolved(spec);
        for (const leaf of leaves(spec)) assert.notEqual(resolved(without(spec, leaf)), whole, `${name}: ${leaf.join('.')} restates what it would be anyway`);
      });
    }
  });

  describe('extends', () => {
    it('extends a preset by name (preset:NAME) or by path, and changes only what it writes', () => {
      const byName = loadExperiment(writeYaml('by-name.yaml', 'extends: preset:cnn-strong\ntrain: {epochs: 2}\n')).trials[0];
      const byPath = loadExperiment(writeYaml('by-path.yaml', `extends: ${path.join(PRESETS_DIR, 'cnn-strong.yaml')}\ntrain: {epochs: 2}\n`)).trials[0];
      assert.equal(byName.hash, byPath.hash);
      const preset = loadTrial({ preset: 'cnn-strong' }).spec;
      assert.deepEqual(byName.spec, { ...preset, train: { ...preset.train, epochs: 2 } });
      assert.match(problemsOf('extends: preset:nope\n'), /extends: preset "nope" does not exist; use one of/);
    });
  });
});
