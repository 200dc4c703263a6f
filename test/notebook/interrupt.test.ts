import assert from 'node:assert/strict';
import { untilInterrupted } from '../../src/notebook/interrupt';

const aborted = (signal: AbortSignal) => new Promise<string>((resolve) => signal.addEventListener('abort', () => resolve('aborted'), { once: true }));

describe('notebook', () => {
  describe('untilInterrupted', () => {
    it('aborts the work’s signal on SIGINT (Jupyter’s stop button) and stops listening afterwards', async () => {
      const before = process.listenerCount('SIGINT');
      const result = untilInterrupted(aborted);
      assert.equal(process.listenerCount('SIGINT'), before + 1);
      process.emit('SIGINT');
      assert.equal(await result, 'aborted');
      assert.equal(process.listenerCount('SIGINT'), before);
    });

    it('aborts when the caller’s own signal does', async () => {
      const outer = new AbortController();
      const result = untilInterrupted(aborted, outer.signal);
      outer.abort();
      assert.equal(await result, 'aborted');
    });

    it('stops listening when the work fails', async () => {
      const before = process.listenerCount('SIGINT');
      await assert.rejects(untilInterrupted(async () => Promise.reject(new Error('boom'))), /boom/);
      assert.equal(process.listenerCount('SIGINT'), before);
    });
  });
});
