/** Read queries: listing with --where/--sort, id prefixes, the names queries accept. */
import type Database from 'better-sqlite3';
import { closest } from 'fastest-levenshtein';
import { UserError } from '../errors';
import { arrayToRow, rowToRun, SELECT_RUN, type RunRow } from './rows';
import type { Run, RunQuery } from './types';
import { COLUMNS, compileSort, compileWhere } from './where';

/** Run columns, `tag.<key>` for stored tag keys, and every stored param key. */
export function queryNames(db: Database.Database): string[] {
  const params = db.prepare<[], { key: string }>('SELECT key FROM param_keys ORDER BY key').all().map((r) => r.key);
  return [...Object.keys(COLUMNS), ...params];
}

/** Runs matching the query, as plain objects; metric histories are not loaded. */
export function listRuns(db: Database.Database, query: RunQuery): Run[] {
  const names = query.where || query.sort ? queryNames(db) : [];
  const conditions: string[] = [];
  const args: unknown[] = [];
  const oneOf = (column: string, values: string[] | undefined) => {
    if (!values?.length) return;
    conditions.push(`${column} IN (${values.map(() => '?').join(', ')})`);
    args.push(...values);
  };
  oneOf('runs.experiment', query.experiment);
  oneOf('runs.status', query.status);
  oneOf('runs.id', query.ids);
  if (query.where) {
    const w = compileWhere(query.where, names);
    conditions.push(w.sql);
    args.push(...w.args);
  }
  const order = compileSort(query.sort || 'id', names);
  args.push(...order.args);
  // Two phases: filter and sort carrying only ids (cheap), then fetch the wide rows of the chosen few.
  let sql = `SELECT runs.id FROM runs ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${order.sql}, runs.id`;
  if (query.limit !== undefined) {
    sql += ' LIMIT ?';
    args.push(query.limit);
  }
  const ids = db.prepare<unknown[], { id: string }>(sql).all(...args).map((r) => r.id);
  if (ids.length === 0) return [];
  const raw = db.prepare<[string], unknown[]>(`${SELECT_RUN} WHERE id IN (SELECT value FROM json_each(?))`).raw(true).all(JSON.stringify(ids));
  const byId = new Map(raw.map((a) => [a[0] as string, arrayToRow(a)]));
  const tags = tagsOf(db, ids);
  return ids.map((id) => rowToRun(byId.get(id) as RunRow, tags.get(id) ?? {}));
}

/** Tags of many runs in one query. */
function tagsOf(db: Database.Database, ids: string[]): Map<string, Record<string, string>> {
  const out = new Map<string, Record<string, string>>();
  if (ids.length === 0) return out;
  const rows = db
    .prepare<[string], { run_id: string; key: string; value: string }>(
      'SELECT run_id, key, value FROM tags WHERE run_id IN (SELECT value FROM json_each(?))',
    )
    .all(JSON.stringify(ids));
  for (const r of rows) {
    const tags = out.get(r.run_id) ?? {};
    tags[r.key] = r.value;
    out.set(r.run_id, tags);
  }
  return out;
}

/**
 * The full id for an id or a unique prefix of one. Unknown or ambiguous -> UserError naming candidates.
 * @example resolveRunId(db, 'mi9x') // 'mi9x2k1qa7f3'
 */
export function resolveRunId(db: Database.Database, idOrPrefix: string): string {
  const prefix = idOrPrefix.trim();
  const escaped = prefix.replace(/[\\%_]/g, (c) => `\\${c}`);
  const matches = db
    .prepare<[string], { id: string; name: string; experiment: string }>(
      "SELECT id, name, experiment FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT 11",
    )
    .all(`${escaped}%`);
  const exact = matches.find((m) => m.id === prefix);
  if (exact) return exact.id;
  if (prefix !== '' && matches.length === 1) return matches[0].id;
  if (matches.length > 1) {
    const shown = matches.slice(0, 10).map((m) => `${m.id} (${m.experiment}: ${m.name})`);
    throw new UserError(`run id prefix ${JSON.stringify(prefix)} is ambiguous; it matches ${matches.length > 10 ? 'more than 10 runs' : `${matches.length} runs`}:\n  ${shown.join('\n  ')}\nType more characters of the id.`);
  }
  const recent = db.prepare<[], { id: string }>('SELECT id FROM runs ORDER BY id DESC LIMIT 1000').all().map((r) => r.id);
  const near = recent.length ? ` (did you mean ${closest(prefix, recent)}?)` : '';
  throw new UserError(`no run with id ${JSON.stringify(prefix)}${near}; \`digits runs\` lists the runs`);
}
