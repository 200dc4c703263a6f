/** Turning Issues into the one-line messages users see: `file:line:col: key.path: rule, got <value>`. */
import type { Issue } from './schema';
import { locateIn, type Source } from './yaml-source';

/** A value as it appears in a message: strings quoted, objects as short JSON. */
export function showValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  const text = typeof v === 'number' || typeof v === 'boolean' || v === null ? String(v) : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** One message line; `fallback` labels issues that no source can place (e.g. the file name). */
export function formatIssue(issue: Issue, sources: Source[], fallback: string): string {
  const where = locateIn(sources, issue.path, issue.onKey ?? false) || fallback;
  const key = issue.path.length ? `${issue.path.join('.')}: ` : '';
  const got = 'got' in issue && !issue.onKey ? `, got ${showValue(issue.got)}` : '';
  return `${where ? `${where}: ` : ''}${key}${issue.rule}${got}`;
}
