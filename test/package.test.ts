import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import path from 'node:path';

// semver is what npm itself uses to check the engines ranges.
const semver: { minVersion(range: string): { version: string } | null; satisfies(version: string, range: string): boolean } = require('semver');

const root = path.join(__dirname, '..');
const read = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8'));

describe('package', () => {
  describe('engines', () => {
    it('every locked package accepts the oldest Node that package.json claims (no EBADENGINE on install)', () => {
      const oldest = semver.minVersion(read('package.json').engines.node)!.version;
      const packages: Record<string, { engines?: { node?: string } | string[] }> = read('package-lock.json').packages;
      const refusing = Object.entries(packages)
        .filter(([, p]) => p.engines && !Array.isArray(p.engines) && p.engines.node && !semver.satisfies(oldest, p.engines.node))
        .map(([name, p]) => `${name} wants node ${(p.engines as { node: string }).node}`);
      assert.deepEqual(refusing, [], `package.json says node >= ${oldest}`);
    });
  });
});
