import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TopLevelSpec } from 'vega-lite/build/index';
import { reliabilitySpec, runTemperature } from '../../src/report/specs/reliability';
import { vegaLibraries } from '../../src/report/vega';
import type { Run } from '../../src/tracking';

/** Compiles a spec to Vega, failing on any Vega-Lite warning. */
async function compiles(spec: TopLevelSpec): Promise<void> {
  const { vl } = await vegaLibraries();
  const warnings: string[] = [];
  const logger = { level: () => logger, warn: (...m: unknown[]) => { warnings.push(m.join(' ')); return logger; }, info: () => logger, debug: () => logger, error: (...m: unknown[]) => { throw new Error(m.join(' ')); } };
  vl.compile(spec, { logger: logger as never });
  assert.deepEqual(warnings, []);
}

/** 200 test answers all 99% sure, 80% right: over-confident. */
function predictions() {
  const probs = new Float32Array(2000).fill(0.01 / 9);
  const labels = new Uint8Array(200);
  for (let r = 0; r < 200; r++) {
    labels[r] = r % 10;
    probs[r * 10 + (r % 5 === 0 ? (r + 1) % 10 : r % 10)] = 0.99;
  }
  return { probs, labels };
}

describe('report/specs/reliability', () => {
  describe('reliabilitySpec', () => {
    it('plots accuracy against confidence per bin with the diagonal, before and after the temperature, and compiles', async () => {
      const spec = reliabilitySpec(predictions(), 'cnn s1', 3) as TopLevelSpec & { layer: Array<{ data: { values: Array<{ series: string; accuracy: number; confidence: number }> } }> };
      assert.ok(spec);
      const rows = spec.layer[1].data.values;
      assert.deepEqual([...new Set(rows.map((r) => r.series))], ['as trained', 'calibrated (T = 3)']);
      const raw = rows.find((r) => r.series === 'as trained')!;
      assert.equal(raw.accuracy, 0.8);
      assert.ok(raw.confidence > 0.98);
      assert.match(JSON.stringify(spec.title), /ECE as trained 0\.19\d+, calibrated/);
      await compiles(spec);
    });

    it('shows one series without a temperature, and nothing without predictions', () => {
      const spec = reliabilitySpec(predictions(), 'cnn s1') as TopLevelSpec & { layer: Array<{ data: { values: Array<{ series: string }> } }> };
      assert.deepEqual([...new Set(spec.layer[1].data.values.map((r) => r.series))], ['as trained']);
      assert.equal(reliabilitySpec({ probs: new Float32Array(0), labels: new Uint8Array(0) }, 'x'), null);
    });
  });

  describe('runTemperature', () => {
    it('reads the temperature from the run folder, and is undefined when there is none', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-reliability-'));
      try {
        assert.equal(runTemperature({ artifactDir: dir } as Run), undefined);
        fs.writeFileSync(path.join(dir, 'calibration.json'), JSON.stringify({ temperature: 1.7, unsureBelow: 0.6 }));
        assert.equal(runTemperature({ artifactDir: dir } as Run), 1.7);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
