import { strict as assert } from 'node:assert';
import { EXIT, exitCodeOf, fileProblem, isUserError, UserError } from '../src/errors';
import { reportError } from '../src/cli/main';
import { defaultRunSpec } from '../src/config';
import { trainRun } from '../src/train';
import { syntheticData } from './train/helpers';

describe('errors', () => {
  describe('exitCodeOf', () => {
    it('reads a UserError\'s own exit code, 2 by default, and 1 for anything else (a bug)', () => {
      assert.equal(exitCodeOf(new UserError('x')), EXIT.user);
      assert.equal(exitCodeOf(new UserError('x', 3)), 3);
      assert.equal(exitCodeOf(new Error('x')), EXIT.bug);
      assert.equal(exitCodeOf('thrown text'), EXIT.bug);
    });
  });

  describe('reportError (cli/main)', () => {
    it('uses the exit code decided by exitCodeOf', () => {
      const write = process.stderr.write;
      process.stderr.write = (() => true) as typeof process.stderr.write;
      try {
        assert.equal(reportError(new UserError('custom', 4)), 4);
        assert.equal(reportError(new Error('bug')), 1);
      } finally {
        process.stderr.write = write;
      }
    });
  });

  describe('fileProblem', () => {
    it('turns what the user can fix into one line naming the place and the fix, and leaves bugs alone', () => {
      const err = fileProblem(Object.assign(new Error('x'), { code: 'EACCES' }), '/r/runs', 'cannot use the runs folder');
      assert.ok(isUserError(err));
      assert.equal((err as Error).message, 'cannot use the runs folder /r/runs: no permission; fix its permissions or choose another place (EACCES)');
      const bug = new TypeError('undefined is not a function');
      assert.equal(fileProblem(bug, '/x'), bug);
    });
  });

  describe('programmer errors are not UserErrors', () => {
    it('trainRun given an ensemble spec throws a bug (callers route ensembles elsewhere)', async () => {
      const spec = defaultRunSpec();
      spec.model = { kind: 'ensemble', combine: 'average', members: [] } as unknown as typeof spec.model;
      await assert.rejects(trainRun(spec, syntheticData()), (err: unknown) => err instanceof Error && !isUserError(err));
    });
  });
});
