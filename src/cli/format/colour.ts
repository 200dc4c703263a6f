/**
 * Colour in terminal output, decided per stream: NO_COLOR (set and not empty) turns it off,
 * FORCE_COLOR (set, and not "0" or "false") turns it on, otherwise only a terminal gets colour
 * (and not TERM=dumb). NO_COLOR wins over FORCE_COLOR: a user who asked for none gets none.
 * picocolors' own switch would also colour any output under CI, piped or not; this one does not.
 */
import pc from 'picocolors';

export type Colours = ReturnType<typeof pc.createColors>;

/** Whether text written to `stream` should carry colour. */
export function colourEnabled(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !['0', 'false'].includes(force.toLowerCase());
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}

/**
 * The colour functions for one stream (identity functions when colour is off).
 * @example const c = coloursFor(process.stdout); process.stdout.write(c.green('finished') + '\n');
 */
export function coloursFor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): Colours {
  return pc.createColors(colourEnabled(stream, env));
}
