import { strict as assert } from 'node:assert';
import { createRng, resumeRng, shuffleInPlace, uniform } from '../src/random';

describe('data/random', () => {
  describe('createRng', () => {
    it('repeats its sequence for a seed and pins the first value', () => {
      const a = createRng(42);
      const b = createRng(42);
      const xs = Array.from({ length: 5 }, () => a());
      assert.deepEqual(Array.from({ length: 5 }, () => b()), xs);
      assert.equal(xs[0].toFixed(4), '0.4813');
      assert.notDeepEqual(Array.from({ length: 5 }, createRng(43)), xs);
    });

    it('goes on from a saved state with exactly the numbers it would have given (resumeRng)', () => {
      const a = createRng(7);
      for (let i = 0; i < 1000; i++) a();
      const saved = a.state();
      const next = Array.from({ length: 20 }, () => a());
      const resumed = resumeRng(saved);
      assert.deepEqual(Array.from({ length: 20 }, () => resumed()), next);
      assert.equal(resumed.state(), a.state());
    });

    it('stays in [0, 1) with a mean near 1/2', () => {
      const rng = createRng(1);
      let sum = 0;
      for (let i = 0; i < 10000; i++) {
        const x = rng();
        assert.ok(x >= 0 && x < 1);
        sum += x;
      }
      assert.ok(Math.abs(sum / 10000 - 0.5) < 0.02);
    });
  });

  describe('uniform / shuffleInPlace', () => {
    it('draws in range and permutes without losing items', () => {
      const rng = createRng(3);
      for (let i = 0; i < 100; i++) {
        const x = uniform(rng, -2, 5);
        assert.ok(x >= -2 && x < 5);
      }
      const items = Int32Array.from({ length: 50 }, (_, i) => i);
      shuffleInPlace(items, rng);
      assert.notDeepEqual(Array.from(items), Array.from({ length: 50 }, (_, i) => i));
      assert.deepEqual(Array.from(items).sort((p, q) => p - q), Array.from({ length: 50 }, (_, i) => i));
    });
  });
});
