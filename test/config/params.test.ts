import { strict as assert } from 'node:assert';
import { defaultRunSpec } from '../../src/config/defaults';
import { flattenParams } from '../../src/config/params';

describe('config/params', () => {
  describe('flattenParams', () => {
    it('maps every scalar to its dotted key, list items by index', () => {
      const p = flattenParams(defaultRunSpec());
      assert.equal(p['train.optimizer.learningRate'], 0.001);
      assert.equal(p['model.kind'], 'cnn');
      assert.equal(p['model.blocks.1.filters'], 64);
      assert.equal(p['model.dense.0'], 128);
      assert.equal(p['data.trainLimit'], null);
      assert.equal(p['train.earlyStopping'], null);
      assert.equal(p.seed, 1);
      assert.ok(Object.values(p).every((v) => v === null || ['string', 'number', 'boolean'].includes(typeof v)));
    });
  });
});
