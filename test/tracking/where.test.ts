import { strict as assert } from 'node:assert';
import { finishedRun, spec, tempStore } from './fixtures';

describe('tracking/where', () => {
  const { store } = tempStore();
  const ids: Record<string, string> = {};
  before(() => {
    ids.cnnFast = finishedRun(store, 'grid', 'cnn fast', spec((s) => { s.train.optimizer.learningRate = 0.003; }), 0.991, 0.990, 30);
    ids.cnnSlow = finishedRun(store, 'grid', 'cnn slow', spec(), 0.985, 0.984, 20);
    ids.rnn = finishedRun(store, 'rnn', 'lstm', spec((s) => { s.model = { kind: 'rnn', cell: 'lstm', layers: 1, units: 128, bidirectional: false, dropout: 0 }; }), 0.975, 0.978, 50);
    ids.queued = store.createRun({ experiment: 'grid', name: 'pending', trialHash: 'p', spec: spec(), seed: 2 }).id;
    store.setTags(ids.rnn, { keep: 'yes' });
  });
  after(() => store.close());

  const names = (where?: string, sort?: string) =>
    store.listRuns({ where, sort }).map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0]);

  describe('compileWhere (through listRuns)', () => {
    const cases: [string, string[]][] = [
      ['val_accuracy>0.98', ['cnnFast', 'cnnSlow']],
      ['test_accuracy>=0.984 and train_seconds<25', ['cnnSlow']],
      ['model.kind=rnn', ['rnn']],
      ['model.kind = cnn and status=finished', ['cnnFast', 'cnnSlow']],
      ['train.optimizer.learningRate>0.001', ['cnnFast']],
      ['status=queued', ['queued']],
      ['experiment=rnn', ['rnn']],
      ['name="cnn fast"', ['cnnFast']],
      ['tag.keep=yes', ['rnn']],
      ['model.bidirectional=false', ['rnn']],
      ['data.trainLimit=null', ['cnnFast', 'cnnSlow', 'rnn', 'queued']],
      ['seed!=1', ['queued']],
    ];
    for (const [where, expected] of cases) {
      it(`selects ${expected.join(', ')} for ${where}`, () => assert.deepEqual(names(where), expected));
    }

    const errors: [string, RegExp][] = [
      ['val_acuracy>0.9', /unknown name "val_acuracy" \(did you mean val_accuracy\?\).*accept: id, experiment.*model\.kind/s],
      ['model.knd=cnn', /did you mean model\.kind\?/],
      ['val_accuracy>high', /val_accuracy holds numbers, got "high"/],
      ['status=done', /status must be one of queued, running, finished, failed, interrupted, got "done"/],
      ['val_accuracy', /cannot read "val_accuracy"/],
    ];
    for (const [where, message] of errors) {
      it(`rejects ${where}`, () => assert.throws(() => store.listRuns({ where }), { name: 'UserError', message }));
    }
  });

  describe('compileSort (through listRuns)', () => {
    it('sorts descending with -, missing values last', () => {
      assert.deepEqual(names(undefined, '-test_accuracy'), ['cnnFast', 'cnnSlow', 'rnn', 'queued']);
      assert.deepEqual(names(undefined, 'test_accuracy'), ['rnn', 'cnnSlow', 'cnnFast', 'queued']);
    });
    it('sorts by a param and then by a column', () => {
      assert.deepEqual(names('status=finished', '-train.optimizer.learningRate,train_seconds'), ['cnnFast', 'cnnSlow', 'rnn']);
    });
    it('rejects an unknown name', () => {
      assert.throws(() => store.listRuns({ sort: '-tst_accuracy' }), { name: 'UserError', message: /did you mean test_accuracy/ });
    });
  });

  describe('listRuns filters', () => {
    it('combines experiment, status and limit', () => {
      const runs = store.listRuns({ experiment: ['grid'], status: ['finished'], sort: '-val_accuracy', limit: 1 });
      assert.deepEqual(runs.map((r) => r.id), [ids.cnnFast]);
    });
  });
});
