import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { appendEvent, isSuperseded, journalPath, readJournal, replayJournal, type AttemptInfo } from '../../src/tracking/journal';
import { FencedError, JournalStore } from '../../src/tracking/journal-store';
import { epochs, evaluation, provenance, summary, tempDir } from './fixtures';

const first: AttemptInfo = { attempt: 1, restart: 0, host: 'node1', pid: 11, slurmJob: '7_0' };
const requeued: AttemptInfo = { ...first, restart: 1, host: 'node2', pid: 22 };

describe('tracking/journal', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = tempDir('digits-journal-');
    file = journalPath(dir, 'run1');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe('replayJournal', () => {
    it('is queued before any attempt started', () => {
      assert.equal(replayJournal([]).status, 'queued');
    });

    it('follows one attempt from start to finish', () => {
      const store = new JournalStore(dir, 'run1', first);
      store.startRun('run1', provenance(11, 'node1'), path.join(dir, 'run1'));
      store.logEpochs('run1', epochs(2));
      store.finishRun('run1', { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.88) });
      const state = replayJournal(readJournal(file));
      assert.equal(state.status, 'finished');
      assert.deepEqual(state.epochs.map((e) => e.epoch), [1, 2]);
      assert.equal(state.result?.test.accuracy, 0.88);
      assert.deepEqual(state.owner, { attempt: 1, restart: 0, host: 'node1', pid: 11, slurmJob: '7_0' });
      assert.deepEqual(readJournal(file).map((e) => e.type), ['started', 'epoch', 'epoch', 'artifacts', 'finished']);
      const events = readJournal(file);
      assert.equal(state.startedAt, events[0].at, 'the owner\'s start, for the wall time the coordinator shows');
      assert.equal(state.lastAt, events[events.length - 1].at);
    });

    it('ignores the events of a superseded attempt, even ones written after the new attempt started', () => {
      appendEvent(file, first, { type: 'started', host: 'node1', pid: 11, slurmJob: '7_0', provenance: provenance(11, 'node1'), artifactDir: dir });
      appendEvent(file, first, { type: 'epoch', metrics: epochs(1)[0] });
      appendEvent(file, requeued, { type: 'started', host: 'node2', pid: 22, slurmJob: '7_0', provenance: provenance(22, 'node2'), artifactDir: dir });
      appendEvent(file, first, { type: 'failed', error: 'the old attempt, still alive, says so' });
      const state = replayJournal(readJournal(file));
      assert.equal(state.status, 'running');
      assert.equal(state.owner?.pid, 22);
      assert.equal(state.startedAt, readJournal(file)[2].at, 'the newest attempt\'s start');
      assert.deepEqual(state.epochs, []);
      assert.equal(state.superseded, 3);
    });

    it('skips a line torn by a crash', () => {
      const store = new JournalStore(dir, 'run1', first);
      store.startRun('run1', provenance(), dir);
      fs.appendFileSync(file, '{"type":"epoch","attem');
      assert.equal(readJournal(file).length, 1);
      assert.equal(replayJournal(readJournal(file)).status, 'running');
    });
  });

  describe('JournalStore', () => {
    it('stops writing (fenced) once a newer attempt has started', () => {
      const old = new JournalStore(dir, 'run1', first);
      old.startRun('run1', provenance(), dir);
      new JournalStore(dir, 'run1', requeued).startRun('run1', provenance(), dir);
      assert.ok(isSuperseded(file, first));
      assert.throws(() => old.logEpochs('run1', epochs(1)), FencedError);
      assert.throws(() => old.heartbeat('run1'), FencedError);
      assert.equal(readJournal(file).length, 2);
    });

    it('records an interruption with the reason the task set, or as a failure when told to', () => {
      const store = new JournalStore(dir, 'run1', first);
      store.startRun('run1', provenance(), dir);
      store.interruptReason = 'interrupted: SIGTERM';
      store.endRun('run1', 'interrupted');
      assert.equal(replayJournal(readJournal(file)).error, 'interrupted: SIGTERM');
      store.failInsteadOfInterrupt = 'reached the time limit';
      store.endRun('run1', 'interrupted');
      const state = replayJournal(readJournal(file));
      assert.equal(state.status, 'failed');
      assert.equal(state.error, 'reached the time limit');
    });

    it('has no database: writes to other runs and queries are bugs', () => {
      const store = new JournalStore(dir, 'run1', first);
      assert.throws(() => store.logEpochs('run2', epochs(1)), /writes run run1 only/);
      assert.throws(() => store.listRuns(), /no tracking database/);
    });

    it('answers an ensemble\'s member lookups from the manifest and the members\' journals', () => {
      const member = new JournalStore(dir, 'm1', first);
      const store = new JournalStore(dir, 'run1', first, [{ id: 'm1', hash: 'h1', status: 'pending' }, { id: 'old', hash: 'h0', status: 'finished', aliases: ['ol'] }]);
      assert.equal(store.findByHash('h1')[0].status, 'queued');
      member.startRun('m1', provenance(), path.join(dir, 'm1'));
      member.finishRun('m1', { summary: summary(0.9), validation: evaluation(0.9), test: evaluation(0.9) });
      assert.equal(store.findByHash('h1')[0].status, 'finished');
      assert.equal(store.resolveRunId('ol'), 'old');
      assert.throws(() => store.resolveRunId('zz'), /was not resolved when the grid was submitted/);
    });
  });
});
