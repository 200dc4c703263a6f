import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { importJournals } from '../../src/tracking/journal-import';
import { JournalStore } from '../../src/tracking/journal-store';
import type { AttemptInfo } from '../../src/tracking/journal';
import type { SqliteStore } from '../../src/tracking/store';
import { epochs, evaluation, provenance, spec, summary, tempStore } from './fixtures';

const first: AttemptInfo = { attempt: 1, restart: 0, host: 'node1', pid: 11, slurmJob: '7_0' };

describe('tracking/journal-import', () => {
  let store: SqliteStore;
  let dir: string;
  let runsDir: string;
  let id: string;
  beforeEach(() => {
    ({ store, dir } = tempStore());
    runsDir = path.join(dir, 'runs');
    id = store.createRun({ experiment: 'g', name: 't', trialHash: 'h1', spec: spec(), seed: 1 }).id;
  });
  afterEach(() => {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  describe('importJournals', () => {
    it('brings the row to the journal\'s state, once: a second import writes nothing', () => {
      const task = new JournalStore(runsDir, id, first);
      task.startRun(id, provenance(11, 'node1'), path.join(runsDir, id));
      task.logEpochs(id, epochs(2));
      assert.deepEqual(importJournals(store, runsDir).imported, [id]);
      let run = store.getRun(id);
      assert.equal(run?.status, 'running');
      assert.equal(run?.tags.slurm_job, '7_0');
      assert.equal(store.history(id).length, 2);
      task.logEpochs(id, epochs(1, 3));
      task.finishRun(id, { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.87) });
      assert.deepEqual(importJournals(store, runsDir).imported, [id]);
      run = store.getRun(id);
      assert.equal(run?.status, 'finished');
      assert.equal(run?.test?.accuracy, 0.87);
      assert.equal(store.history(id).length, 3);
      assert.deepEqual(importJournals(store, runsDir), { imported: [], checked: 0 }); // finished: final, not looked at
      assert.equal(store.integrityCheck(), 'ok');
    });

    it('lets a requeued attempt take over at once and ignores the old one\'s late words', () => {
      const old = new JournalStore(runsDir, id, first);
      old.startRun(id, provenance(11, 'node1'), path.join(runsDir, id));
      importJournals(store, runsDir);
      const requeued = new JournalStore(runsDir, id, { ...first, restart: 1, host: 'node2', pid: 22 });
      requeued.startRun(id, provenance(22, 'node2'), path.join(runsDir, id));
      fs.appendFileSync(path.join(runsDir, id, 'journal.jsonl'), JSON.stringify({ at: new Date().toISOString(), attempt: 1, restart: 0, type: 'failed', error: 'late' }) + '\n');
      importJournals(store, runsDir);
      const run = store.getRun(id);
      assert.equal(run?.status, 'running');
      assert.equal(run?.tags.restarts, '1');
      assert.equal(run?.provenance?.host, 'node2');
    });

    it('skips, after one stat, a journal written well before its row last changed (unless forced)', () => {
      const task = new JournalStore(runsDir, id, first);
      task.startRun(id, provenance(), path.join(runsDir, id));
      importJournals(store, runsDir);
      task.endRun(id, 'interrupted', 'interrupted: test');
      const file = path.join(runsDir, id, 'journal.jsonl');
      const hourAgo = new Date(Date.now() - 3_600_000);
      fs.utimesSync(file, hourAgo, hourAgo);
      assert.deepEqual(importJournals(store, runsDir), { imported: [], checked: 1 });
      assert.equal(store.getRun(id)?.status, 'running');
      assert.deepEqual(importJournals(store, runsDir, { force: true }).imported, [id]);
      assert.equal(store.getRun(id)?.status, 'interrupted');
    });

    it('records an interruption with its reason, and leaves runs without a journal alone', () => {
      const other = store.createRun({ experiment: 'g', name: 'u', trialHash: 'h2', spec: spec(), seed: 2 }).id;
      const task = new JournalStore(runsDir, id, first);
      task.startRun(id, provenance(), path.join(runsDir, id));
      task.endRun(id, 'interrupted', 'interrupted: SIGTERM from Slurm');
      importJournals(store, runsDir);
      assert.equal(store.getRun(id)?.status, 'interrupted');
      assert.equal(store.getRun(id)?.error, 'interrupted: SIGTERM from Slurm');
      assert.equal(store.getRun(other)?.status, 'queued');
    });
  });
});
