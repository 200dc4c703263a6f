/** Why a run could not be found or used; the web server maps each problem to an HTTP status. */
import { UserError } from '../errors';

export type RunProblem = 'bad-id' | 'unknown' | 'ambiguous' | 'no-model' | 'none-finished';

export class RunLookupError extends UserError {
  readonly problem: RunProblem;

  constructor(problem: RunProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}
