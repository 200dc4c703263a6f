/** CSV cells for every CSV the CLI writes (`digits export`, `digits predict --format csv`). */

/** A CSV field (RFC 4180): quoted when it holds a comma, quote or line break; empty for null. */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
