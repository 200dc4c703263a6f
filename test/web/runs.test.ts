import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runFolderPath as runFolder } from '../../src/tracking';
import { folderCatalog, resolveRun, RunLookupError, storeCatalog } from '../../src/web/runs';
import { evaluation, provenance, spec, summary, tempStore } from '../tracking/fixtures';

function lookupProblem(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof RunLookupError, String(err));
    return `${err.problem}: ${err.message}`;
  }
  return 'no error';
}

/** A run folder with a (fake) model.json and, optionally, metrics. */
function makeRunFolder(runsDir: string, id: string, metrics?: object): void {
  fs.mkdirSync(path.join(runsDir, id, 'model'), { recursive: true });
  fs.writeFileSync(path.join(runsDir, id, 'model', 'model.json'), '{}');
  if (metrics) fs.writeFileSync(path.join(runsDir, id, 'metrics.json'), JSON.stringify(metrics));
}

describe('web/runs', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-runs-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('runFolder', () => {
    it('accepts ids made of letters, digits, ".", "_" and "-"', () => {
      for (const id of ['mi9x2k1qa7f3', 'run_1', 'a.b-c', 'X']) assert.equal(runFolder(dir, id), path.join(path.resolve(dir), id));
    });

    const bad = ['', '.', '..', '../../etc', '..\\..\\etc', '/etc/passwd', 'a/b', '.hidden', 'a b', 'a\0b', 'x'.repeat(129), '%2e%2e', 'ü'];
    for (const id of bad) {
      it(`refuses ${JSON.stringify(id.length > 20 ? `${id.slice(0, 10)}...` : id)}`, () => {
        assert.match(lookupProblem(() => runFolder(dir, id)), /^bad-id: run id ".*" is not valid; ids use letters/);
      });
    }
  });

  describe('folderCatalog', () => {
    it('lists run folders with a model and metrics.json, reading names and accuracies', () => {
      makeRunFolder(dir, 'a1', { name: 'cnn small', validation: { accuracy: 0.97 }, test: { accuracy: 0.96 } });
      makeRunFolder(dir, 'b2', { summary: { bestValAccuracy: 0.99 }, test: { accuracy: 0.985 } });
      makeRunFolder(dir, 'unfinished'); // no metrics.json
      makeRunFolder(dir, 'stopped', { status: 'interrupted', summary: null, validation: null, test: null });
      fs.mkdirSync(path.join(dir, 'no-model'));
      fs.writeFileSync(path.join(dir, 'no-model', 'metrics.json'), '{}');
      fs.writeFileSync(path.join(dir, 'digits.sqlite'), '');
      const runs = folderCatalog(dir).finished();
      assert.deepEqual(runs.map((r) => r.id).sort(), ['a1', 'b2']);
      const a1 = runs.find((r) => r.id === 'a1')!;
      assert.deepEqual([a1.name, a1.valAccuracy, a1.testAccuracy], ['cnn small', 0.97, 0.96]);
      assert.equal(runs.find((r) => r.id === 'b2')!.name, 'b2');
      assert.equal(folderCatalog(dir).get('stopped')?.name, 'stopped', 'an interrupted run can still be named');
      assert.equal(resolveRun(folderCatalog(dir)).id, 'b2', 'best validation accuracy');
    });

    it('resolves a named run, or says why it cannot', () => {
      makeRunFolder(dir, 'a1', { test: { accuracy: 0.9 } });
      fs.mkdirSync(path.join(dir, 'empty'));
      const catalog = folderCatalog(dir);
      assert.equal(resolveRun(catalog, 'a1').id, 'a1');
      assert.equal(resolveRun(catalog, 'a').id, 'a1', 'a unique prefix');
      assert.match(lookupProblem(() => resolveRun(catalog, 'zz9')), /^unknown: no run with id "zz9" in /);
      assert.match(lookupProblem(() => resolveRun(catalog, 'empty')), /^no-model: run "empty" has no saved model/);
      assert.match(lookupProblem(() => resolveRun(catalog, '../x')), /^bad-id:/);
      assert.match(lookupProblem(() => resolveRun(folderCatalog(path.join(dir, 'none')))), /^none-finished: no finished runs in .*; train one first/);
    });
  });

  describe('storeCatalog', () => {
    it('lists finished runs of the tracking store whose artifact folder holds a model', () => {
      const { store, dir: dbDir } = tempStore();
      try {
        const add = (name: string, val: number, test: number, finish = true, withModel = true) => {
          const run = store.createRun({ experiment: 'e', name, trialHash: name, spec: spec(), seed: 1 });
          const artifacts = path.join(dbDir, 'artifacts', run.id);
          if (withModel) makeRunFolder(path.join(dbDir, 'artifacts'), run.id);
          store.startRun(run.id, provenance(), artifacts);
          if (finish) store.finishRun(run.id, { summary: summary(val), validation: evaluation(val), test: evaluation(test) });
          return run.id;
        };
        const good = add('good', 0.99, 0.985);
        add('better but unfinished', 0.995, 0.99, false);
        add('best but no model', 0.999, 0.99, true, false);
        const fair = add('fair', 0.97, 0.96);
        const catalog = storeCatalog(store);
        assert.deepEqual(catalog.finished().map((r) => r.id).sort(), [good, fair].sort());
        const best = resolveRun(catalog);
        assert.deepEqual([best.id, best.name, best.testAccuracy, best.valAccuracy], [good, 'good', 0.985, 0.99]);
        assert.equal(catalog.modelDir(good), path.join(dbDir, 'artifacts', good, 'model'));
        assert.match(lookupProblem(() => resolveRun(catalog, 'nope')), /^unknown: no run with id "nope" in the tracking database/);
      } finally {
        store.close();
        fs.rmSync(dbDir, { recursive: true, force: true });
      }
    });
  });
});
