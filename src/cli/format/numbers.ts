/** Reading whole-number flags as the user typed them, so a refusal can quote the text. */
import { UserError } from '../../errors';

/**
 * `raw` (the flag's text) as a whole number from `min` to `max`; UserError quoting it otherwise
 * ("1.5", "1e20", "abc", "-1" and, when min is 1, "0").
 * @example wholeNumberFlag('--limit', '20', 1, 100_000) // 20
 */
export function wholeNumberFlag(flag: string, raw: unknown, min: number, max: number, example: string): number {
  const text = String(raw).trim();
  const value = /^\d{1,15}$/.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    const shown = JSON.stringify(text.length > 40 ? `${text.slice(0, 40)}...` : text);
    throw new UserError(`${flag} must be a whole number from ${min} to ${max.toLocaleString('en-US')}, got ${shown}; e.g. ${example}`);
  }
  return value;
}
