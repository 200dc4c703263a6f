/**
 * How charts follow the page's run selection. Every chart of runs has a `shown` param (a Vega
 * signal): null draws every run; otherwise an object whose keys are the indexes (in the `runs`
 * the chart was built from) of the runs to draw. Rows carry that index as `r`: shorter than a run
 * id, which matters in a 1,000-run page. The page's script sets `shown` from the table's filter and
 * ticked rows (it knows each id's index); notebooks leave it null.
 */
import type { Run } from '../../tracking';

/** The `shown` param: null (every run) until the page sets it. */
export const SHOWN_PARAM = { name: 'shown', value: null };

/** Keeps only the rows of shown runs. */
export const SHOWN_FILTER = { filter: '!shown || shown[datum.r]' };

/** Each run's index in `runs`, the `r` of its rows. */
export function runIndex(runs: Run[]): Map<string, number> {
  return new Map(runs.map((run, i) => [run.id, i]));
}
