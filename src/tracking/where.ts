/**
 * The `--where` and `--sort` mini-languages, compiled to SQL over the runs table.
 *   where: `val_accuracy>0.99 and model.kind=cnn and tag.keep=yes`   (ops: = != > >= < <=)
 *   sort:  `-test_accuracy,train_seconds`                            (- = descending)
 * Names are run columns, `tag.<key>` or any stored param key; values are bound, never spliced.
 */
import { closest } from 'fastest-levenshtein';
import { UserError } from '../errors';
import { QUERY_COLUMNS } from './columns';
import { RUN_STATUSES } from './rows';
import { quoteShort } from './run-folder';

/** The column a name means, if any (a Map: "__proto__" or "toString" name no column). */
function columnNamed(name: string): { sql: string; numeric: boolean; notNull: boolean } | undefined {
  return QUERY_COLUMNS.get(name);
}

const OPS = ['>=', '<=', '!=', '=', '>', '<'] as const;

export interface SqlPart {
  sql: string;
  args: unknown[];
}

/** The name meant: the shortest one starting with what was typed, else the closest by edit distance. */
function suggest(name: string, valid: string[]): string {
  const prefixed = valid.filter((v) => v.startsWith(name)).sort((a, b) => a.length - b.length);
  return prefixed[0] ?? closest(name, valid);
}

function unknownName(name: string, valid: string[]): UserError {
  const hint = valid.length ? ` (did you mean ${suggest(name, valid)}?)` : '';
  return new UserError(
    `unknown name ${quoteShort(name)}${hint}; --where and --sort accept: ${[...QUERY_COLUMNS.keys()].join(', ')}, ` +
      `tag.<key>, and the params: ${valid.filter((n) => !QUERY_COLUMNS.has(n)).join(', ') || '(none stored yet)'}`,
  );
}

/** Longest --where or --sort accepted: far beyond any real query, short enough to echo in one line. */
export const MAX_QUERY_LENGTH = 2000;

function checkLength(flag: string, text: string): void {
  if (text.length > MAX_QUERY_LENGTH) {
    throw new UserError(`${flag} is ${text.length} characters long, more than ${MAX_QUERY_LENGTH}; write a shorter expression (${quoteShort(text)})`);
  }
}

/** Splits on `and` outside quotes. */
function clauses(where: string): string[] {
  const out: string[] = [];
  let current = '';
  let quote: string | null = null;
  const words = where.split(/(\s+and\s+|["'])/i);
  for (const w of words) {
    if (w === '"' || w === "'") quote = quote === null ? w : quote === w ? null : quote;
    if (quote === null && /^\s+and\s+$/i.test(w)) {
      out.push(current);
      current = '';
    } else current += w;
  }
  out.push(current);
  return out.map((c) => c.trim());
}

function unquote(v: string): { text: string; quoted: boolean } {
  const m = /^(["'])(.*)\1$/.exec(v);
  return m ? { text: m[2], quoted: true } : { text: v, quoted: false };
}

/** One `name op value` clause as SQL. */
function clauseSql(clause: string, names: string[]): SqlPart {
  const m = /^([A-Za-z_][\w.\-]*)\s*(>=|<=|!=|=|>|<)\s*(.*)$/.exec(clause);
  if (!m || m[3] === '') {
    throw new UserError(`--where: cannot read ${quoteShort(clause)}; write name<op>value joined by "and", ops ${OPS.join(' ')} (e.g. "val_accuracy>0.99 and model.kind=cnn")`);
  }
  const [, name, op] = m;
  const { text, quoted } = unquote(m[3].trim());
  const num = !quoted && text !== '' && Number.isFinite(Number(text)) ? Number(text) : null;
  const column = columnNamed(name);
  if (column) {
    if (column.numeric && num === null) throw new UserError(`--where: ${name} holds numbers, got ${quoteShort(text)}`);
    if (name === 'status' && !RUN_STATUSES.includes(text as never)) {
      throw new UserError(`--where: status must be one of ${RUN_STATUSES.join(', ')}, got ${quoteShort(text)}`);
    }
    return { sql: `${column.sql} ${op} ?`, args: [column.numeric ? num : text] };
  }
  if (name.startsWith('tag.')) {
    return { sql: `EXISTS (SELECT 1 FROM tags t WHERE t.run_id = runs.id AND t.key = ? AND t.value ${op} ?)`, args: [name.slice(4), text] };
  }
  if (!names.includes(name)) throw unknownName(name, names);
  if (text === 'null' && !quoted && (op === '=' || op === '!=')) {
    const test = op === '=' ? 'p.num IS NULL AND p.text IS NULL' : '(p.num IS NOT NULL OR p.text IS NOT NULL)';
    return { sql: `EXISTS (SELECT 1 FROM params p WHERE p.run_id = runs.id AND p.key = ? AND ${test})`, args: [name] };
  }
  const col = num === null ? 'p.text' : 'p.num';
  return { sql: `EXISTS (SELECT 1 FROM params p WHERE p.run_id = runs.id AND p.key = ? AND ${col} ${op} ?)`, args: [name, num ?? text] };
}

/**
 * Compiles a where expression; `names` are the valid names (columns and stored param keys).
 * @example compileWhere('val_accuracy>0.99 and model.kind=cnn', names).sql
 */
export function compileWhere(where: string, names: string[]): SqlPart {
  checkLength('--where', where);
  const parts = clauses(where).filter((c) => c !== '').map((c) => clauseSql(c, names));
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND ') || '1', args: parts.flatMap((p) => p.args) };
}

/** An ORDER BY list, and whether its first key is descending (ties then go newest first). */
export interface SortPart extends SqlPart {
  descending: boolean;
}

/** Compiles `-test_accuracy,seed` to an ORDER BY list; missing values always sort last. */
export function compileSort(sort: string, names: string[]): SortPart {
  checkLength('--sort', sort);
  const args: unknown[] = [];
  const keys = sort.split(',').map((s) => s.trim());
  if (keys.some((k) => k === '' || k === '-' || k === '+')) {
    throw new UserError(`--sort: ${quoteShort(sort)} has an empty key; write names joined by commas, - for descending, e.g. "-test_accuracy,train_seconds"`);
  }
  const items = keys.map((item) => {
    const desc = item.startsWith('-');
    const name = item.replace(/^[-+]/, '');
    let expr: string;
    const column = columnNamed(name);
    if (column) expr = column.sql;
    else if (name.startsWith('tag.')) {
      expr = '(SELECT t.value FROM tags t WHERE t.run_id = runs.id AND t.key = ?)';
      args.push(name.slice(4));
    } else if (names.includes(name)) {
      expr = '(SELECT coalesce(p.num, p.text) FROM params p WHERE p.run_id = runs.id AND p.key = ?)';
      args.push(name);
    } else throw unknownName(name, names);
    const twice = expr.includes('?') ? [...args.slice(-1)] : [];
    args.push(...twice);
    if (column?.notNull) return `${expr} ${desc ? 'DESC' : 'ASC'}`; // lets SQLite walk an index
    return `${expr} IS NULL, ${expr} ${desc ? 'DESC' : 'ASC'}`;
  });
  return { sql: items.join(', '), args, descending: keys[0].startsWith('-') };
}
