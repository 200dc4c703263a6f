import { strict as assert } from 'node:assert';
import { EXIT, exitCodeOf, fileCodeProblem, fileProblem, isUserError, UserError } from '../src/errors';
import { storageProblem } from '../src/tracking';
import { databaseProblem } from '../src/tracking/db-errors';
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

  describe('fileCodeProblem and storageProblem (one table of words for error codes)', () => {
    const withCode = (code: string, name = 'Error') => Object.assign(new Error('x'), { code, name });
    it('names what the user can fix, and with only: disk, just the disk\'s failures', () => {
      assert.equal(fileCodeProblem(withCode('ENOSPC')), 'the disk is full');
      assert.equal(fileCodeProblem(withCode('ENOTDIR')), 'a part of the path is a file, not a folder');
      assert.equal(fileCodeProblem(withCode('ENOTDIR'), 'disk'), null, 'a file in the way is not the disk failing');
      assert.equal(fileCodeProblem(withCode('EACCES'), 'disk'), 'permission denied');
      assert.equal(fileCodeProblem(withCode('ECONNRESET')), null);
      assert.equal(fileCodeProblem(withCode('toString')), null, 'only the table\'s own codes');
      assert.equal(fileCodeProblem(null), null);
    });
    it('storageProblem: a full or read-only disk under the database or the run folders, also once databaseProblem made it a UserError', () => {
      assert.equal(storageProblem(withCode('ENOSPC')), 'the disk is full (ENOSPC)');
      assert.equal(storageProblem(withCode('SQLITE_READONLY_DBMOVED', 'SqliteError')), 'the database is read-only (SQLITE_READONLY_DBMOVED)');
      const wrapped = databaseProblem(withCode('SQLITE_FULL', 'SqliteError'), '/r/digits.sqlite');
      assert.ok(isUserError(wrapped));
      assert.equal(storageProblem(wrapped), 'the disk is full (SQLITE_FULL)');
      assert.equal(storageProblem(withCode('SQLITE_CORRUPT', 'SqliteError')), null, 'a damaged file is not a storage failure');
      assert.equal(storageProblem(withCode('ENOENT')), null);
    });
  });

  describe('fileProblem', () => {
    it('turns what the user can fix into one line naming the place and the fix, and leaves bugs alone', () => {
      const err = fileProblem(Object.assign(new Error('x'), { code: 'EACCES' }), '/r/runs', 'cannot use the runs folder');
      assert.ok(isUserError(err));
      assert.equal((err as Error).message, 'cannot use the runs folder /r/runs: permission denied; fix its permissions or choose another place (EACCES)');
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
