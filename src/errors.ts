/**
 * A mistake the user can fix: bad input, a missing file, a value out of range.
 * The CLI prints only `message` (no stack) and exits with `exitCode` (2).
 * Anything else that is thrown is a bug and keeps its stack.
 */
export class UserError extends Error {
  readonly exitCode: number;

  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'UserError';
    this.exitCode = exitCode;
  }
}

/** Type guard that also works across module copies (ts-node and dist in one process). */
export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError || (err instanceof Error && err.name === 'UserError');
}
