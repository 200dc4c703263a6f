import { strict as assert } from 'node:assert';
import type { RunArtifacts } from '../../src/tracking';
import { combineRuns } from '../../src/train/ensemble-runs';
import type { Evaluation } from '../../src/train/types';

/** A finished run's artifacts predicting `predicted` (0.8 on it) for test labels [0, 1, 2]. */
function member(dir: string, predicted: number[], valAccuracy: number, labels = [0, 1, 2]): RunArtifacts {
  const probs = new Float32Array(labels.length * 10).fill(0.2 / 9);
  predicted.forEach((c, r) => (probs[r * 10 + c] = 0.8));
  return {
    dir, modelDir: `${dir}/model`, spec: {} as RunArtifacts['spec'], status: 'finished', history: [], summary: null,
    validation: { accuracy: valAccuracy } as Evaluation, test: null,
    testProbs: { probs, labels: Uint8Array.from(labels) }, validationProbs: null,
  };
}

describe('train/ensemble-runs', () => {
  describe('combineRuns', () => {
    const a = member('a', [0, 1, 9], 0.9);
    const b = member('b', [0, 9, 2], 0.9);
    const c = member('c', [5, 1, 2], 0.3);

    it('evaluates the majority vote of stored predictions', () => {
      const r = combineRuns([a, b, c], 'vote');
      assert.equal(r.test.accuracy, 1);
      assert.equal(r.test.count, 3);
    });

    it('weights members by validation accuracy', () => {
      const r = combineRuns([a, c], 'weighted');
      assert.deepEqual(r.weights, [0.75, 0.25]);
      assert.ok(Math.abs(r.testProbs[0] - (0.75 * 0.8 + 0.25 * (0.2 / 9))) < 1e-6);
    });

    it('refuses members that predicted different test images', () => {
      assert.throws(() => combineRuns([a, member('d', [0, 1], 0.9, [0, 1])], 'average'), /d: predicted 2 test images.*testLimit/);
    });

    it('refuses a run that did not finish', () => {
      assert.throws(() => combineRuns([a, { ...b, testProbs: null, status: 'interrupted' }], 'average'), /b: has no stored test probabilities \(status interrupted\)/);
    });
  });
});
