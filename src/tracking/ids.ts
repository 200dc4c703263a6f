/**
 * Run ids: 12 base-36 characters, 4 random ones first, then 8 of the creation time in ms. The random
 * start means runs made close together (a grid) differ in their first characters, so a 3-4 character
 * prefix is usually unique; the time part keeps ids unique across processes. Ids are not sorted by
 * time (ids before December 2026 were time first: they keep working, the resolver takes any id);
 * creation order comes from created_at and insertion order.
 */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Draws from 36^4 would be uneven with bytes % 36 (256 is not a multiple of 36): reject bytes >= 252. */
function randomChars(count: number): string {
  let out = '';
  while (out.length < count) {
    for (const b of randomBytes(count * 2)) {
      if (b < 252 && out.length < count) out += ALPHABET[b % 36];
    }
  }
  return out;
}

/** The time part of this process's last id: ids made in one millisecond (a grid's runs) still differ there. */
let last = 0;

/**
 * A new run id.
 * @example newRunId() // 'k7qa1mi9x2k1'
 */
export function newRunId(now = Date.now()): string {
  last = Math.max(0, Math.floor(now), last + 1); // a new time part for each id of this process, even within one ms
  return randomChars(4) + last.toString(36).padStart(8, '0').slice(-8);
}
