import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeRunEvaluation } from '../../src/train/artifacts';

const bin = path.join(__dirname, '..', '..', 'bin', 'digits.js');

function digits(args: string[]) {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DIGITS_DB: '' } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Probabilities of a model that is right 90% of the time but always 99.9% sure. */
function overconfident(n: number): { probs: Float32Array; labels: Uint8Array } {
  const probs = new Float32Array(n * 10).fill(0.001 / 9);
  const labels = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    labels[r] = r % 10;
    probs[r * 10 + (r % 10 === 3 ? 5 : r % 10)] = 0.999;
  }
  return { probs, labels };
}

describe('cli/calibrate', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-cli-calibrate-'));
    const v = overconfident(500), t = overconfident(300);
    writeRunEvaluation(dir, { status: 'finished', history: [], summary: null as never, validation: null, test: null, validationProbs: v.probs, testProbs: t.probs }, { validation: v.labels, test: t.labels });
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ seed: 1, model: { kind: 'cnn' } }));
    fs.rmSync(path.join(dir, 'calibration.json')); // as a run from before calibration
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('digits calibrate', () => {
    it('fits the temperature of an existing run, writes calibration.json and prints ECE before and after', () => {
      const r = digits(['calibrate', dir]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /temperature [\d.]+ fitted on 500 validation images\nECE \(15 bins\): validation 0\.0\d+ -> 0\.0\d+; test/);
      const cal = JSON.parse(fs.readFileSync(path.join(dir, 'calibration.json'), 'utf8'));
      assert.ok(cal.temperature > 1, 'an over-confident model is softened');
      assert.ok(cal.ece.validation.after < cal.ece.validation.before);
      assert.match(cal.rule, /99\.5%/);
    });

    it('exits 2 with one line for a run without validation probabilities', () => {
      const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-cli-calibrate-empty-'));
      try {
        fs.writeFileSync(path.join(empty, 'config.json'), '{}');
        const r = digits(['calibrate', empty]);
        assert.equal(r.code, 2);
        assert.match(r.stderr, /has no stored validation probabilities; only a finished run with a validation split can be calibrated/);
        assert.doesNotMatch(r.stderr, /\n\s+at /);
      } finally {
        fs.rmSync(empty, { recursive: true, force: true });
      }
    });
  });

  describe('digits evaluate', () => {
    it('shows the temperature, ECE before and after, and the unsure threshold', () => {
      const r = digits(['evaluate', dir, '--json']);
      assert.equal(r.code, 0, r.stderr);
      const out = JSON.parse(r.stdout);
      assert.ok(out.calibration.temperature > 1);
      assert.ok(out.calibration.ece.test.after < out.calibration.ece.test.before);
    });
  });
});
