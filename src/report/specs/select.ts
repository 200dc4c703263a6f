/**
 * How charts follow the page's run selection. Every chart of runs has a `shown` param (a Vega
 * signal): null draws every run; otherwise an object whose keys are the ids of the runs to draw.
 * The page's script sets it from the table's filter and ticked rows; notebooks leave it null.
 */

/** The `shown` param: null (every run) until the page sets it. */
export const SHOWN_PARAM = { name: 'shown', value: null };

/** Keeps only the rows of shown runs; rows carry the run id as `id`. */
export const SHOWN_FILTER = { filter: '!shown || shown[datum.id]' };
