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

/** File-system error codes that mean the place is the user's to fix, with the fix. */
const FILE_FIXES: Record<string, string> = {
  EACCES: 'no permission; fix its permissions or choose another place',
  EPERM: 'not permitted; fix its permissions or choose another place',
  EROFS: 'the file system is read-only; choose a writable place',
  ENOSPC: 'the disk is full; free some space and run again (what was done so far is kept)',
  EDQUOT: 'the disk quota is used up; free some space and run again',
  ENOTDIR: 'a part of the path is a file, not a folder; choose another path',
  EISDIR: 'it is a folder, not a file; name a file',
  EEXIST: 'something else already exists there; choose another path',
  ENAMETOOLONG: 'the path is too long; choose a shorter one',
  ELOOP: 'the path loops through symbolic links; choose another path',
  ENOENT: 'it does not exist; check the path',
};

/**
 * A file-system error about `file` as a UserError naming the place and the fix, when the code is one
 * the user can fix (permissions, read-only, full disk, a file in the way); anything else is returned
 * unchanged (a bug keeps its stack).
 * @example try { fs.mkdirSync(dir) } catch (err) { throw fileProblem(err, dir, 'cannot create the runs folder') }
 */
export function fileProblem(err: unknown, file: string, what = 'cannot write'): unknown {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const fix = code ? FILE_FIXES[code] : undefined;
  return fix ? Object.assign(new UserError(`${what} ${file}: ${fix} (${code})`), { code }) : err; // the code stays for callers that sort by it
}
