/**
 * The `--where` and `--sort` mini-languages, compiled to SQL over the runs table.
 *   where: `val_accuracy>0.99 and model.kind=cnn and tag.keep=yes`   (ops: = != > >= < <=)
 *   sort:  `-test_accuracy,train_seconds`                            (- = descending)
 * Names are run columns, `tag.<key>` or any stored param key; values are bound, never spliced.
 */
import { closest } from 'fastest-levenshtein';
import { UserError } from '../errors';
import { RUN_STATUSES } from './rows';

/** Queryable run columns: name in the language -> column and whether it holds numbers. */
export const COLUMNS: Record<string, { sql: string; numeric: boolean }> = {
  id: { sql: 'runs.id', numeric: false },
  experiment: { sql: 'runs.experiment', numeric: false },
  name: { sql: 'runs.name', numeric: false },
  status: { sql: 'runs.status', numeric: false },
  trial_hash: { sql: 'runs.trial_hash', numeric: false },
  seed: { sql: 'runs.seed', numeric: true },
  created_at: { sql: 'runs.created_at', numeric: false },
  started_at: { sql: 'runs.started_at', numeric: false },
  ended_at: { sql: 'runs.ended_at', numeric: false },
  epochs: { sql: 'runs.epochs', numeric: true },
  best_epoch: { sql: 'runs.best_epoch', numeric: true },
  best_val_accuracy: { sql: 'runs.best_val_accuracy', numeric: true },
  best_val_loss: { sql: 'runs.best_val_loss', numeric: true },
  final_val_accuracy: { sql: 'runs.final_val_accuracy', numeric: true },
  val_accuracy: { sql: 'runs.val_accuracy', numeric: true },
  val_loss: { sql: 'runs.val_loss', numeric: true },
  val_macro_f1: { sql: 'runs.val_macro_f1', numeric: true },
  test_accuracy: { sql: 'runs.test_accuracy', numeric: true },
  test_loss: { sql: 'runs.test_loss', numeric: true },
  test_macro_f1: { sql: 'runs.test_macro_f1', numeric: true },
  train_seconds: { sql: 'runs.train_seconds', numeric: true },
  images_per_sec: { sql: 'runs.images_per_sec', numeric: true },
  peak_rss_mb: { sql: 'runs.peak_rss_mb', numeric: true },
};

/** Columns that are never NULL: sorting them needs no "missing last" term. */
const NOT_NULL = new Set(['id', 'experiment', 'name', 'status', 'trial_hash', 'seed', 'created_at']);

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
    `unknown name ${JSON.stringify(name)}${hint}; --where and --sort accept: ${Object.keys(COLUMNS).join(', ')}, ` +
      `tag.<key>, and the params: ${valid.filter((n) => !(n in COLUMNS)).join(', ') || '(none stored yet)'}`,
  );
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
    throw new UserError(`--where: cannot read ${JSON.stringify(clause)}; write name<op>value joined by "and", ops ${OPS.join(' ')} (e.g. "val_accuracy>0.99 and model.kind=cnn")`);
  }
  const [, name, op] = m;
  const { text, quoted } = unquote(m[3].trim());
  const num = !quoted && text !== '' && Number.isFinite(Number(text)) ? Number(text) : null;
  const column = COLUMNS[name];
  if (column) {
    if (column.numeric && num === null) throw new UserError(`--where: ${name} holds numbers, got ${JSON.stringify(text)}`);
    if (name === 'status' && !RUN_STATUSES.includes(text as never)) {
      throw new UserError(`--where: status must be one of ${RUN_STATUSES.join(', ')}, got ${JSON.stringify(text)}`);
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
  const parts = clauses(where).filter((c) => c !== '').map((c) => clauseSql(c, names));
  return { sql: parts.map((p) => `(${p.sql})`).join(' AND ') || '1', args: parts.flatMap((p) => p.args) };
}

/** Compiles `-test_accuracy,seed` to an ORDER BY list; missing values always sort last. */
export function compileSort(sort: string, names: string[]): SqlPart {
  const args: unknown[] = [];
  const items = sort.split(',').map((s) => s.trim()).filter(Boolean).map((item) => {
    const desc = item.startsWith('-');
    const name = item.replace(/^[-+]/, '');
    let expr: string;
    if (COLUMNS[name]) expr = COLUMNS[name].sql;
    else if (name.startsWith('tag.')) {
      expr = '(SELECT t.value FROM tags t WHERE t.run_id = runs.id AND t.key = ?)';
      args.push(name.slice(4));
    } else if (names.includes(name)) {
      expr = '(SELECT coalesce(p.num, p.text) FROM params p WHERE p.run_id = runs.id AND p.key = ?)';
      args.push(name);
    } else throw unknownName(name, names);
    const twice = expr.includes('?') ? [...args.slice(-1)] : [];
    args.push(...twice);
    if (NOT_NULL.has(name)) return `${expr} ${desc ? 'DESC' : 'ASC'}`; // lets SQLite walk an index
    return `${expr} IS NULL, ${expr} ${desc ? 'DESC' : 'ASC'}`;
  });
  return { sql: items.join(', '), args };
}
