/** The `--db` option shared by the query commands, and opening the store for them. */
import type { Argv } from 'yargs';
import { openStore } from '../../tracking';
import type { TrackingStore } from '../../tracking';

/** Adds `--db`: the tracking database (default env DIGITS_DB, else runs/digits.sqlite of the project). */
export function withDbOption<T>(y: Argv<T>) {
  return y.option('db', {
    type: 'string',
    describe: 'Tracking database file (default: $DIGITS_DB, else runs/digits.sqlite in the project folder)',
  });
}

/** Runs `fn` with an existing store and always closes it. */
export async function usingStore<R>(db: string | undefined, fn: (store: TrackingStore) => R | Promise<R>): Promise<R> {
  const store = openStore(db, { mustExist: true });
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
