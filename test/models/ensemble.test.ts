import { strict as assert } from 'node:assert';
import { combineProbabilities, weightsFromAccuracy } from '../../src/models/ensemble';
import { predictions } from '../../src/train/metrics';

/** One row of 10 probabilities from a sparse map {class: p}. */
function row(entries: Record<number, number>): number[] {
  const r = new Array(10).fill(0);
  for (const [c, p] of Object.entries(entries)) r[Number(c)] = p;
  return r;
}
const probs = (...rows: number[][]) => Float32Array.from(rows.flat());

describe('models/ensemble', () => {
  // Three members, two images.
  const a = probs(row({ 1: 0.6, 2: 0.4 }), row({ 3: 0.9, 4: 0.1 }));
  const b = probs(row({ 1: 0.55, 2: 0.45 }), row({ 4: 0.6, 3: 0.4 }));
  const c = probs(row({ 2: 0.99, 1: 0.01 }), row({ 5: 0.7, 3: 0.3 }));

  describe('combineProbabilities', () => {
    it('averages', () => {
      const avg = combineProbabilities([a, b, c], 'average');
      assert.ok(Math.abs(avg[1] - (0.6 + 0.55 + 0.01) / 3) < 1e-6);
      assert.deepEqual(Array.from(predictions(avg)), [2, 3]); // mean favours class 2 on image 0
    });

    it('takes the majority vote, not the mean', () => {
      const vote = combineProbabilities([a, b, c], 'vote');
      assert.deepEqual(Array.from(predictions(vote)), [1, 3]);
      const sum = vote.slice(0, 10).reduce((s, p) => s + p, 0);
      assert.ok(Math.abs(sum - 1) < 1e-5, 'rows stay distributions');
    });

    it('breaks a tied vote by the mean probability', () => {
      // image 1: votes 3 (a), 4 (b): a tie between two members; mean of class 3 = 0.65 > class 4 = 0.35.
      const vote = combineProbabilities([a, b], 'vote');
      assert.equal(predictions(vote)[1], 3);
      const swapped = combineProbabilities([probs(row({ 1: 1 }), row({ 3: 0.51, 4: 0.49 })), probs(row({ 1: 1 }), row({ 4: 0.9, 3: 0.1 }))], 'vote');
      assert.equal(predictions(swapped)[1], 4);
    });

    it('weights members, normalising the weights', () => {
      const w = combineProbabilities([a, c], 'weighted', [3, 1]);
      assert.ok(Math.abs(w[1] - (0.75 * 0.6 + 0.25 * 0.01)) < 1e-6);
      assert.throws(() => combineProbabilities([a, c], 'weighted', [1]), /one weight per member/);
    });

    it('rejects members predicted on different images', () => {
      assert.throws(() => combineProbabilities([a, probs(row({ 1: 1 }))], 'average'), /member 1 has 1 rows, member 0 has 2/);
    });
  });

  describe('weightsFromAccuracy', () => {
    it('is proportional to validation accuracy', () => {
      assert.deepEqual(weightsFromAccuracy([0.5, 1.5]), [0.25, 0.75]);
    });
  });
});
