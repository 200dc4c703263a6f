import { strict as assert } from 'node:assert';
import { classMetrics, confusionMatrix, crossEntropy, evaluate, predictions } from '../../src/train/metrics';

/** Rows of 10 probabilities with `p` on the predicted class and the rest spread evenly. */
function probsFor(predicted: number[], p = 0.91): Float32Array {
  const out = new Float32Array(predicted.length * 10).fill((1 - p) / 9);
  predicted.forEach((c, r) => (out[r * 10 + c] = p));
  return out;
}

describe('train/metrics', () => {
  describe('predictions', () => {
    it('takes the first maximum of each row', () => {
      const probs = new Float32Array(20);
      probs[3] = 0.5;
      probs[7] = 0.5;
      probs[10 + 9] = 1;
      assert.deepEqual(Array.from(predictions(probs)), [3, 9]);
    });
  });

  describe('confusionMatrix', () => {
    it('counts [true][predicted]', () => {
      const m = confusionMatrix([0, 0, 1, 2], [0, 1, 1, 0], 3);
      assert.deepEqual(m, [[1, 1, 0], [0, 1, 0], [1, 0, 0]]);
    });
  });

  describe('evaluate', () => {
    // labels:    0 0 0 1 1 2
    // predicted: 0 0 1 1 1 0   (class 2 is never predicted)
    const labels = Uint8Array.from([0, 0, 0, 1, 1, 2]);
    const ev = evaluate(probsFor([0, 0, 1, 1, 1, 0]), labels);

    it('computes accuracy and the confusion matrix', () => {
      assert.equal(ev.count, 6);
      assert.equal(ev.accuracy, 4 / 6);
      assert.deepEqual(ev.confusion[0].slice(0, 3), [2, 1, 0]);
      assert.deepEqual(ev.confusion[2].slice(0, 3), [1, 0, 0]);
    });

    it('computes per-class precision, recall, F1 and support by hand', () => {
      const [c0, c1] = ev.perClass;
      assert.deepEqual([c0.precision, c0.recall, c0.support], [2 / 3, 2 / 3, 3]);
      assert.ok(Math.abs(c0.f1 - 2 / 3) < 1e-12);
      assert.deepEqual([c1.precision, c1.recall, c1.support], [2 / 3, 1, 2]);
      assert.ok(Math.abs(c1.f1 - 0.8) < 1e-12);
    });

    it('gives precision 0 (not NaN) to a class that is never predicted', () => {
      const c2 = ev.perClass[2];
      assert.deepEqual([c2.precision, c2.recall, c2.f1, c2.support], [0, 0, 0, 1]);
    });

    it('gives 0 to classes without examples and averages over all 10 classes', () => {
      assert.deepEqual(ev.perClass[5], { label: 5, precision: 0, recall: 0, f1: 0, support: 0 });
      assert.ok(Math.abs(ev.macro.precision - (2 / 3 + 2 / 3) / 10) < 1e-12);
      assert.ok(Math.abs(ev.macro.recall - (2 / 3 + 1) / 10) < 1e-12);
    });

    it('computes the loss as mean cross-entropy', () => {
      // 4 rows put 0.91 on the true class, 2 rows put 0.01 on it.
      const expected = -(4 * Math.log(0.91) + 2 * Math.log(0.01)) / 6;
      assert.ok(Math.abs((ev.loss ?? NaN) - expected) < 1e-6);
    });

    it('rejects probabilities that do not match the labels', () => {
      assert.throws(() => evaluate(new Float32Array(15), Uint8Array.from([1, 2])), /15 probabilities do not fit 2 labels/);
    });
  });

  describe('crossEntropy', () => {
    it('clips zero probabilities instead of returning Infinity', () => {
      assert.ok(Math.abs(crossEntropy(new Float32Array(10), [4]) - -Math.log(1e-7)) < 1e-9);
    });
  });

  describe('classMetrics', () => {
    it('is perfect on a diagonal matrix', () => {
      const m = classMetrics([[3, 0], [0, 2]]);
      assert.deepEqual(m.map((c) => [c.precision, c.recall, c.f1]), [[1, 1, 1], [1, 1, 1]]);
    });
  });
});
