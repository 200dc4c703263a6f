/** Plain-text tables with aligned columns, for terminal output. */
import type { RunStatus } from '../../tracking';
import { coloursFor, type Colours } from './colour';

export interface Column<T> {
  header: string;
  value: (row: T) => string;
  align?: 'left' | 'right';
  /** Colours a cell after padding (escape codes must not count toward the width). */
  colour?: (text: string, row: T, c: Colours) => string;
}

/**
 * Renders rows as an aligned table: a header line (bold when colour is on), then one line per
 * row, columns two spaces apart.
 * @example renderTable([{ header: 'id', value: (r) => r.id }], runs)
 */
export function renderTable<T>(columns: Column<T>[], rows: T[], c: Colours = coloursFor(process.stdout)): string {
  const cells = rows.map((row) => columns.map((col) => col.value(row)));
  const widths = columns.map((col, i) => Math.max(col.header.length, ...cells.map((r) => r[i].length)));
  const pad = (v: string, i: number) => (columns[i].align === 'right' ? v.padStart(widths[i]) : v.padEnd(widths[i]));
  const header = columns.map((col, i) => pad(col.header, i)).join('  ').trimEnd();
  const line = (values: string[], row: T) =>
    values
      .map((v, i) => {
        const colour = columns[i].colour;
        const padded = pad(v, i);
        // Colour the text, not the padding, so trailing spaces can still be trimmed.
        return colour ? padded.replace(v, colour(v, row, c)) : padded;
      })
      .join('  ')
      .trimEnd();
  return [c.bold(header), ...cells.map((values, r) => line(values, rows[r]))].join('\n') + '\n';
}

/** A run status in its colour: finished green, failed red, interrupted yellow, others as they are. */
export function statusColour(status: RunStatus | string, c: Colours): string {
  if (status === 'finished') return c.green(status);
  if (status === 'failed') return c.red(status);
  if (status === 'interrupted') return c.yellow(status);
  return status;
}
