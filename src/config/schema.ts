/**
 * A small rule language for validating a partial (only-the-differences) document while filling
 * defaults. `resolve` never throws: it records every problem as an Issue and goes on, so a file's
 * problems are all reported at once.
 */
import { closest, distance } from 'fastest-levenshtein';

export type PathSeg = string | number;

export interface Issue {
  path: PathSeg[];
  rule: string; // e.g. "must be a number > 0"
  got?: unknown; // the offending value; absent for unknown keys
  onKey?: boolean; // the problem is the key itself (unknown key), not its value
}

export type Rule =
  | { t: 'number'; min?: number; max?: number; int?: boolean; above?: number; below?: number }
  | { t: 'string' }
  | { t: 'bool' }
  | { t: 'enum'; values: readonly string[] }
  | { t: 'nullable'; of: Rule; fill: unknown }
  | { t: 'array'; of: Rule; element?: unknown; min?: number }
  | { t: 'object'; fields: Record<string, Rule> }
  | { t: 'kinds'; variants: Record<string, Rule>; defaults: Record<string, unknown>; fallback?: string }
  | { t: 'either'; options: Rule[]; describe: string }
  | { t: 'oneOf'; keys: Record<string, Rule> } // a mapping holding exactly one of these keys
  | { t: 'any' };

/** A plain mapping (not null, not an array). */
export function isMapping(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Describes a number rule in words: "an integer >= 1", "a number in (0, 1)". */
export function describeNumber(r: Extract<Rule, { t: 'number' }>): string {
  const what = r.int ? 'an integer' : 'a number';
  const lo = r.min !== undefined ? `[${r.min}` : r.above !== undefined ? `(${r.above}` : undefined;
  const hi = r.max !== undefined ? `${r.max}]` : r.below !== undefined ? `${r.below})` : undefined;
  if (lo && hi) return `${what} in ${lo}, ${hi}`;
  if (r.min !== undefined) return `${what} >= ${r.min}`;
  if (r.above !== undefined) return `${what} > ${r.above}`;
  if (r.max !== undefined) return `${what} <= ${r.max}`;
  if (r.below !== undefined) return `${what} < ${r.below}`;
  return what;
}

function numberOk(r: Extract<Rule, { t: 'number' }>, v: number): boolean {
  if (!Number.isFinite(v) || (r.int && !Number.isInteger(v))) return false;
  if (r.min !== undefined && v < r.min) return false;
  if (r.max !== undefined && v > r.max) return false;
  if (r.above !== undefined && v <= r.above) return false;
  if (r.below !== undefined && v >= r.below) return false;
  return true;
}

/** "unknown key; did you mean learningRate?" or, with no close match, the list of valid keys. */
export function unknownKeyRule(key: string, valid: string[], nested: string[] = []): string {
  const near = (candidates: string[], name: (c: string) => string) => {
    if (!candidates.length) return undefined;
    const best = closest(key.toLowerCase(), candidates.map((c) => name(c).toLowerCase()));
    const index = candidates.findIndex((c) => name(c).toLowerCase() === best);
    return distance(key.toLowerCase(), best) <= Math.max(2, Math.floor(key.length / 3)) ? candidates[index] : undefined;
  };
  const best = near(valid, (c) => c) ?? near(nested, (c) => c.slice(c.lastIndexOf('.') + 1));
  if (best !== undefined) return `unknown key; did you mean ${best}?`;
  return `unknown key; valid keys here: ${valid.join(', ')}`;
}

/** Dotted names of the fields one level below `fields` ("optimizer.learningRate"), for suggestions. */
function nestedNames(fields: Record<string, Rule>): string[] {
  const out: string[] = [];
  for (const [name, rule] of Object.entries(fields)) {
    const inner = rule.t === 'nullable' ? rule.of : rule;
    if (inner.t === 'object') out.push(...Object.keys(inner.fields).map((k) => `${name}.${k}`));
  }
  return out;
}

/**
 * Validates `raw` against `rule`, filling what is missing from `dflt`. Problems go to `issues`;
 * where a value is bad, the default takes its place so that checking can continue.
 */
export function resolve(rule: Rule, raw: unknown, dflt: unknown, path: PathSeg[], issues: Issue[]): unknown {
  if (raw === undefined) return structuredClone(dflt);
  const fail = (r: string): unknown => {
    issues.push({ path, rule: r, got: raw });
    return structuredClone(dflt);
  };
  switch (rule.t) {
    case 'any':
      return raw;
    case 'number':
      return typeof raw === 'number' && numberOk(rule, raw) ? raw : fail(`must be ${describeNumber(rule)}`);
    case 'string':
      return typeof raw === 'string' ? raw : fail('must be a string');
    case 'bool':
      return typeof raw === 'boolean' ? raw : fail('must be true or false');
    case 'enum':
      return typeof raw === 'string' && rule.values.includes(raw) ? raw : fail(`must be one of ${rule.values.join(', ')}`);
    case 'nullable':
      return raw === null ? null : resolve(rule.of, raw, dflt ?? rule.fill, path, issues);
    case 'array':
      return resolveArray(rule, raw, dflt, path, issues);
    case 'object':
      return resolveObject(rule.fields, raw, dflt, path, issues);
    case 'kinds':
      return resolveKinds(rule, raw, dflt, path, issues);
    case 'either':
      return resolveEither(rule, raw, dflt, path, issues);
    case 'oneOf':
      return resolveOneOf(rule, raw, path, issues);
  }
}

function resolveArray(rule: Extract<Rule, { t: 'array' }>, raw: unknown, dflt: unknown, path: PathSeg[], issues: Issue[]): unknown {
  if (!Array.isArray(raw)) {
    issues.push({ path, rule: 'must be a list', got: raw });
    return structuredClone(dflt);
  }
  if (rule.min !== undefined && raw.length < rule.min) {
    issues.push({ path, rule: `must have at least ${rule.min} item${rule.min === 1 ? '' : 's'}`, got: raw });
  }
  return raw.map((item, i) => resolve(rule.of, item, rule.element, [...path, i], issues));
}

function resolveObject(fields: Record<string, Rule>, raw: unknown, dflt: unknown, path: PathSeg[], issues: Issue[]): unknown {
  if (!isMapping(raw)) {
    issues.push({ path, rule: 'must be a mapping (key: value lines)', got: raw });
    return structuredClone(dflt);
  }
  const base = isMapping(dflt) ? dflt : {};
  const valid = Object.keys(fields);
  for (const key of Object.keys(raw)) {
    // hasOwn, not `in`: `constructor`, `toString` or `__proto__` in a file are unknown keys too.
    if (!Object.hasOwn(fields, key)) issues.push({ path: [...path, key], rule: unknownKeyRule(key, valid, nestedNames(fields)), onKey: true });
  }
  const out: Record<string, unknown> = {};
  for (const key of valid) {
    const value = resolve(fields[key], raw[key], base[key], [...path, key], issues);
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function resolveKinds(rule: Extract<Rule, { t: 'kinds' }>, raw: unknown, dflt: unknown, path: PathSeg[], issues: Issue[]): unknown {
  if (!isMapping(raw)) {
    issues.push({ path, rule: 'must be a mapping (key: value lines)', got: raw });
    return structuredClone(dflt);
  }
  const kinds = Object.keys(rule.variants);
  const dfltKind = isMapping(dflt) ? dflt.kind : undefined;
  const kind = (Object.hasOwn(raw, 'kind') ? raw.kind : undefined) ?? dfltKind ?? rule.fallback;
  if (typeof kind !== 'string' || !Object.hasOwn(rule.variants, kind)) {
    issues.push({ path: [...path, 'kind'], rule: `must be one of ${kinds.join(', ')}`, got: raw.kind });
    return structuredClone(dflt);
  }
  const base = kind === dfltKind ? dflt : rule.defaults[kind];
  return resolve(rule.variants[kind], raw, base, path, issues);
}

function resolveEither(rule: Extract<Rule, { t: 'either' }>, raw: unknown, dflt: unknown, path: PathSeg[], issues: Issue[]): unknown {
  for (const option of rule.options) {
    const trial: Issue[] = [];
    const value = resolve(option, raw, dflt, path, trial);
    if (trial.length === 0) return value;
  }
  issues.push({ path, rule: `must be ${rule.describe}`, got: raw });
  return structuredClone(dflt);
}

function resolveOneOf(rule: Extract<Rule, { t: 'oneOf' }>, raw: unknown, path: PathSeg[], issues: Issue[]): unknown {
  const keys = Object.keys(rule.keys);
  const present = isMapping(raw) ? keys.filter((k) => Object.hasOwn(raw, k)) : [];
  if (!isMapping(raw) || present.length !== 1) {
    issues.push({ path, rule: `must be a mapping with exactly one of ${keys.join(', ')}`, got: raw });
    return raw;
  }
  return resolve(rule.keys[present[0]], raw, undefined, path, issues);
}
