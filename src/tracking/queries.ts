/** Read queries: listing with --where/--sort, id prefixes, the names queries accept. */
import type Database from 'better-sqlite3';
import { resolveRunIdIn } from './resolve';
import { arrayToRow, rowToRun, SELECT_RUN, type RunRow } from './rows';
import type { Run, RunQuery } from './types';
import { QUERY_COLUMNS } from './columns';
import { compileSort, compileWhere } from './where';

/** Run columns, `tag.<key>` for stored tag keys, and every stored param key. */
export function queryNames(db: Database.Database): string[] {
  const params = db.prepare<[], { key: string }>('SELECT key FROM param_keys ORDER BY key').all().map((r) => r.key);
  return [...QUERY_COLUMNS.keys(), ...params];
}

/**
 * Runs matching the query, as plain objects; metric histories are not loaded. Default order: oldest
 * first; ties (any sort) keep insertion order, reversed when the first sort key is descending.
 */
export function listRuns(db: Database.Database, query: RunQuery, runsDir: string): Run[] {
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
  const order = compileSort(query.sort || 'created_at', names);
  args.push(...order.args);
  // Two phases: filter and sort carrying only ids (cheap), then fetch the wide rows of the chosen few.
  let sql = `SELECT runs.id FROM runs ${conditions.length ? `WHERE ${conditions.join(' AND ')}` : ''} ORDER BY ${order.sql}, runs.rowid ${order.descending ? 'DESC' : 'ASC'}`;
  if (query.limit !== undefined) {
    sql += ' LIMIT ?';
    args.push(query.limit);
  }
  const ids = db.prepare<unknown[], { id: string }>(sql).all(...args).map((r) => r.id);
  if (ids.length === 0) return [];
  const raw = db.prepare<[string], unknown[]>(`${SELECT_RUN} WHERE id IN (SELECT value FROM json_each(?))`).raw(true).all(JSON.stringify(ids));
  const byId = new Map(raw.map((a) => [a[0] as string, arrayToRow(a)]));
  const tags = tagsOf(db, ids);
  return ids.map((id) => rowToRun(byId.get(id) as RunRow, tags.get(id) ?? {}, runsDir));
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
 * The full id for an id or a unique prefix of one (the rules are resolve.ts's).
 * @example resolveRunId(db, '7kq') // '7kq2mi9x2k1q'
 */
export function resolveRunId(db: Database.Database, idOrPrefix: string): string {
  const withPrefix = db.prepare<[string, number], { id: string; name: string; experiment: string }>(
    "SELECT id, name, experiment FROM runs WHERE id LIKE ? ESCAPE '\\' ORDER BY id LIMIT ?",
  );
  return resolveRunIdIn({
    withPrefix: (prefix, limit) =>
      withPrefix.all(`${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`, limit).map((m) => ({ id: m.id, label: `${m.experiment}: ${m.name}` })),
    recent: () => db.prepare<[], { id: string }>('SELECT id FROM runs ORDER BY rowid DESC LIMIT 1000').all().map((r) => r.id),
    where: 'the tracking database',
  }, idOrPrefix);
}
