/** Number and time formats used in the report's tables. */
import type { Run } from '../../tracking';

/** `0.99123` -> `0.9912`; null/undefined -> empty. */
export function fixed(value: number | null | undefined, digits = 4): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '' : value.toFixed(digits);
}

/** Seconds as `42.0 s`, `3 m 05 s` or `2 h 07 m`. */
export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '';
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m} m ${String(Math.round(seconds % 60)).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}

/** Training seconds of a run, else wall time between start and end, else null. */
export function runSeconds(run: Run): number | null {
  if (run.summary) return run.summary.trainSeconds;
  if (run.startedAt && run.endedAt) return (Date.parse(run.endedAt) - Date.parse(run.startedAt)) / 1000;
  return null;
}

/** ISO time as `2026-11-22 10:43` (UTC). */
export function shortTime(iso: string | null): string {
  return iso ? iso.replace('T', ' ').slice(0, 16) : '';
}
