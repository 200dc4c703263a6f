/** Run ids: short, unique, and sortable by creation time as plain strings. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

let last = 0;

/**
 * 8 base-36 digits of milliseconds since 1970 (sortable until 2059; +1 ms when two are made in the same ms) + 4 random base-36 digits.
 * @example newRunId() // 'mi9x2k1qa7f3'
 */
export function newRunId(now = Date.now()): string {
  last = Math.max(now, last + 1); // strictly increasing within a process, so ids created together keep their order
  const time = last.toString(36).padStart(8, '0');
  const random = [...randomBytes(4)].map((b) => ALPHABET[b % 36]).join('');
  return time + random;
}
