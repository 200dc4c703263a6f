/** How numbers and times read in the query commands' output. */

/** An accuracy-like fraction with 4 decimals, or '-' when missing. */
export function fixed(v: number | null | undefined, digits = 4): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '-';
}

/** Seconds as "42s", "3m07s" or "1h02m". */
export function duration(seconds: number | null | undefined): string {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return '-';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** An ISO time as "2026-11-22 10:42" (UTC). */
export function when(iso: string | null): string {
  return iso ? iso.slice(0, 16).replace('T', ' ') : '-';
}

/** A param value as text. */
export function paramText(v: unknown): string {
  return v === undefined ? '-' : v === null ? 'null' : String(v);
}
