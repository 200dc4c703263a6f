import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRng } from '../../src/random';
import { readRunCalibration, writeRunEvaluation } from '../../src/train/artifacts';
import { applyTemperature, calibrate, chooseUnsureThreshold, fitTemperature, UNSURE_TARGET } from '../../src/train/calibrate';
import { evaluate, expectedCalibrationError, reliabilityBins } from '../../src/train/metrics';

/**
 * `n` rows drawn from a calibrated model (the true class sampled from softmax(logits)), then
 * reported at temperature 1/`sharpen`: sharpen > 1 makes them over-confident by a known factor.
 */
function overconfident(n: number, sharpen: number, seed = 1): { probs: Float32Array; labels: Uint8Array } {
  const rng = createRng(seed);
  const probs = new Float32Array(n * 10);
  const labels = new Uint8Array(n);
  for (let r = 0; r < n; r++) {
    const logits = Array.from({ length: 10 }, () => rng() * 4);
    logits[r % 10] += 3 * rng();
    const exp = logits.map(Math.exp);
    const sum = exp.reduce((a, b) => a + b, 0);
    let u = rng(), label = 9;
    for (let c = 0; c < 10; c++) if ((u -= exp[c] / sum) < 0) { label = c; break; }
    labels[r] = label;
    const sharp = logits.map((l) => Math.exp(l * sharpen));
    const sharpSum = sharp.reduce((a, b) => a + b, 0);
    sharp.forEach((v, c) => (probs[r * 10 + c] = v / sharpSum));
  }
  return { probs, labels };
}

describe('train/calibrate', () => {
  describe('applyTemperature', () => {
    it('leaves probabilities alone at T=1, keeps the argmax, and softens for T>1', () => {
      const p = Float32Array.from([0.7, 0.2, 0.1, 0, 0, 0, 0, 0, 0, 0]);
      applyTemperature(p, 1).forEach((v, i) => assert.ok(Math.abs(v - p[i]) < 1e-6));
      const soft = applyTemperature(p, 2);
      assert.ok(soft[0] < 0.7 && soft[0] > soft[1]);
      assert.ok(Math.abs(soft.reduce((a, b) => a + b, 0) - 1) < 1e-6);
    });
  });

  describe('fitTemperature', () => {
    it('recovers the temperature that undoes a known over-confidence, and ECE falls', () => {
      const { probs, labels } = overconfident(4000, 2.5);
      const t = fitTemperature(probs, labels);
      assert.ok(Math.abs(t - 2.5) < 0.35, `fitted ${t}`);
      const before = expectedCalibrationError(probs, labels);
      const after = expectedCalibrationError(applyTemperature(probs, t), labels);
      assert.ok(before > 0.1 && after < before / 3, `ECE ${before} -> ${after}`);
    });
  });

  describe('reliabilityBins', () => {
    it('puts each answer in the bin of its confidence with its mean confidence and accuracy', () => {
      const probs = new Float32Array(20);
      probs.set([0.95, 0.05], 0); // row 0: digit 0 at 0.95, right
      probs.set([0.45, 0.55], 10); // row 1: digit 1 at 0.55, wrong
      const bins = reliabilityBins(probs, [0, 0], 10);
      assert.deepEqual(bins.map((b) => b.count), [0, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
      assert.equal(bins[9].accuracy, 1);
      assert.equal(bins[5].accuracy, 0);
      assert.ok(Math.abs(expectedCalibrationError(probs, [0, 0], 10) - (0.05 + 0.55) / 2) < 1e-6);
    });

    it('evaluate records the ECE of the probabilities it evaluates (15 bins), so metrics.json and the database keep it', () => {
      const { probs, labels } = overconfident(2000, 2.5);
      const e = evaluate(probs, labels);
      assert.equal(e.ece, expectedCalibrationError(probs, labels));
      assert.ok((e.ece ?? 0) > 0.1, `an over-confident model's ECE is large: ${e.ece}`);
    });
  });

  describe('chooseUnsureThreshold', () => {
    it('picks the lowest threshold at which the answers kept are right at least 99.5% of the time', () => {
      // 1,000 answers at 0.95 (all right) and 100 at 0.6 (half right): 0.60 keeps 95.5%, 0.61 keeps 100%.
      const n = 1100;
      const probs = new Float32Array(n * 10);
      const labels = new Uint8Array(n);
      for (let r = 0; r < n; r++) {
        const high = r < 1000;
        probs[r * 10] = high ? 0.95 : 0.6;
        probs[r * 10 + 1] = high ? 0.05 : 0.4;
        labels[r] = high || r % 2 === 0 ? 0 : 1;
      }
      assert.equal(chooseUnsureThreshold(probs, labels), 0.61);
      assert.ok(UNSURE_TARGET === 0.995);
    });
  });

  describe('calibrate and the run folder', () => {
    it('is fitted when a finished run writes its evaluation, and read back', () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-calibrate-'));
      try {
        const validation = overconfident(2000, 2, 3);
        const test = overconfident(1000, 2, 4);
        const cal = calibrate(validation, test);
        assert.ok(cal.ece.test!.after < cal.ece.test!.before);
        assert.ok(cal.validationLoss.after < cal.validationLoss.before);
        writeRunEvaluation(dir, { status: 'finished', history: [], summary: {} as never, validation: null, test: null, validationProbs: validation.probs, testProbs: test.probs }, { validation: validation.labels, test: test.labels });
        const stored = readRunCalibration(dir)!;
        assert.equal(stored.temperature, cal.temperature);
        assert.equal(stored.unsureBelow, cal.unsureBelow);
        fs.writeFileSync(path.join(dir, 'calibration.json'), '{"temperature": -1, "unsureBelow": 0.5}');
        assert.throws(() => readRunCalibration(dir), /temperature -1 is not above 0; re-fit it with `digits calibrate/);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});
