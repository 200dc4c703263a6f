/**
 * User mistakes and bugs, kept apart, and the exit codes, decided here and nowhere else.
 * A UserError is something the user can fix (bad input, a missing or damaged file, a place that
 * cannot be written): the CLI prints its one-line message, no stack, and exits with its exitCode.
 * Anything else that is thrown is a bug: printed with its stack, exit code EXIT.bug.
 */

/** The process exit codes of `digits`. */
export const EXIT = {
  ok: 0,
  /** A bug (anything thrown that is not a UserError). */
  bug: 1,
  /** A user mistake: bad input, a missing or damaged file, a place that cannot be written. */
  user: 2,
  /** `digits run`: some trials failed (each is listed). */
  trialsFailed: 1,
  /** Stopped by Ctrl-C (SIGINT); what was done is kept and a rerun resumes. */
  interrupted: 130,
} as const;

export class UserError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode: number = EXIT.user) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** Type guard that also works across module copies (ts-node and dist in one process). */
export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError || (err instanceof Error && err.name === 'UserError');
}

/** The exit code for anything thrown: a UserError's own code, else EXIT.bug. */
export function exitCodeOf(err: unknown): number {
  if (!isUserError(err)) return EXIT.bug;
  const code = (err as { exitCode?: unknown }).exitCode;
  return typeof code === 'number' && Number.isInteger(code) && code > 0 && code < 126 ? code : EXIT.user;
}

/**
 * File-system error codes that are the user's to fix: what went wrong in plain words, the fix, and
 * whether it is the disk's fault (full, read-only, failing, not this user's), which stops a grid.
 * The one table of these words: fileProblem, the runner's storage handling, the report and image
 * readers all take them from here.
 */
const FILE_CODES: Record<string, { problem: string; fix: string; disk?: true }> = {
  EACCES: { problem: 'permission denied', fix: 'fix its permissions or choose another place', disk: true },
  EPERM: { problem: 'permission denied', fix: 'fix its permissions or choose another place', disk: true },
  EROFS: { problem: 'the file system is read-only', fix: 'choose a writable place', disk: true },
  ENOSPC: { problem: 'the disk is full', fix: 'free some space and run again (what was done so far is kept)', disk: true },
  EDQUOT: { problem: 'the disk quota is used up', fix: 'free some space and run again', disk: true },
  EIO: { problem: 'a disk I/O error', fix: 'check the disk, or choose another place', disk: true },
  ENOTDIR: { problem: 'a part of the path is a file, not a folder', fix: 'choose another path' },
  EISDIR: { problem: 'it is a folder, not a file', fix: 'name a file' },
  EEXIST: { problem: 'something else already exists there', fix: 'choose another path' },
  ENAMETOOLONG: { problem: 'the path is too long', fix: 'choose a shorter one' },
  ELOOP: { problem: 'the path loops through symbolic links', fix: 'choose another path' },
  ENOENT: { problem: 'no such file or folder', fix: 'check the path' },
};

/**
 * A file-system error's code in plain words ("permission denied"), or null when the code is not
 * one the user can fix (or, with `only: 'disk'`, not the disk's fault).
 * @example fileCodeProblem(err) // 'the disk is full'
 */
export function fileCodeProblem(err: unknown, only?: 'disk'): string | null {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  const entry = typeof code === 'string' && Object.hasOwn(FILE_CODES, code) ? FILE_CODES[code] : undefined;
  return entry && (only !== 'disk' || entry.disk) ? entry.problem : null;
}

/**
 * A file-system error about `file` as a UserError naming the place and the fix, when the code is one
 * the user can fix (permissions, read-only, full disk, a file in the way); anything else is returned
 * unchanged (a bug keeps its stack).
 * @example try { fs.mkdirSync(dir) } catch (err) { throw fileProblem(err, dir, 'cannot create the runs folder') }
 */
export function fileProblem(err: unknown, file: string, what = 'cannot write'): unknown {
  const problem = fileCodeProblem(err);
  if (problem === null) return err;
  const code = (err as NodeJS.ErrnoException).code as string;
  // The code stays on the error for callers that sort by it.
  return Object.assign(new UserError(`${what} ${file}: ${problem}; ${FILE_CODES[code].fix} (${code})`), { code });
}
