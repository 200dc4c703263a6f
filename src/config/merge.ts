/**
 * Deep merge and dotted-key helpers for partial specs (plain JSON-like values). Keys come from
 * users' files and flags, so every write makes an own property (a key named `__proto__` or
 * `constructor` is data to be reported as unknown, never a way to reach a prototype).
 */
import { isMapping, type Issue, type PathSeg } from './schema';

/** Sets an own, enumerable property, whatever the key (even `__proto__`). */
export function setOwn(target: Record<string, unknown> | unknown[], key: PathSeg, value: unknown): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable: true, configurable: true });
}

/** The own property `key` of `target`, or undefined (never one inherited from a prototype). */
export function getOwn(target: unknown, key: PathSeg): unknown {
  return target !== null && typeof target === 'object' && Object.hasOwn(target, key) ? (target as Record<string, unknown>)[key as string] : undefined;
}

/**
 * Merges `over` into `base`: mappings merge key by key, anything else (lists included) replaces.
 * A mapping whose `kind` differs from the base's replaces it whole (an rnn does not inherit cnn fields).
 */
export function deepMerge(base: unknown, over: unknown, implicitKinds: Record<string, string> = IMPLICIT_KINDS, at = ''): unknown {
  if (over === undefined) return structuredClone(base);
  if (!isMapping(base) || !isMapping(over)) return structuredClone(over);
  const baseKind = getOwn(base, 'kind') ?? getOwn(implicitKinds, at);
  if (Object.hasOwn(over, 'kind') && baseKind !== undefined && over.kind !== baseKind) return structuredClone(over);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(over)) setOwn(out, key, deepMerge(getOwn(base, key), value, implicitKinds, at ? `${at}.${key}` : key));
  return out;
}

/** The kind a partial spec's mapping has when it does not say (the defaults' kinds). */
const IMPLICIT_KINDS: Record<string, string> = { model: 'cnn', 'train.schedule': 'none' };

/** "model.blocks.0.filters" -> ['model', 'blocks', 0, 'filters']. */
export function parseDottedKey(key: string): PathSeg[] {
  return key.split('.').map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
}

/** The dotted form of a path: ['model', 'blocks', 0] -> "model.blocks.0". */
export function dotted(path: PathSeg[]): string {
  return path.join('.');
}

/** The value at `path` (own properties only), or undefined. */
export function getPath(target: unknown, path: PathSeg[]): unknown {
  let node = target;
  for (const seg of path) node = getOwn(node, seg);
  return node;
}

/**
 * Sets `value` at `path` inside `target` (modified in place). A mapping missing on the way is
 * copied from `fallback` (the resolved spec, so `model.blocks.1.filters` finds the default
 * blocks), else created empty. Setting a different `kind` clears the sibling fields; a mapping
 * value is deep-merged. A list is indexed only by an existing position: anything else is an Issue
 * (returned, nothing set), so `blocks.99` or `blocks.-1` is named, not ignored or a crash.
 */
export function setPath(target: Record<string, unknown>, path: PathSeg[], value: unknown, fallback?: unknown): Issue | null {
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < path.length; i++) {
    const seg = path[i];
    if (Array.isArray(node) && !(typeof seg === 'number' && seg < node.length)) {
      const where = path.slice(0, i);
      const range = node.length ? `an index from 0 to ${node.length - 1}` : 'no index (the list is empty)';
      return { path: path.slice(0, i + 1), rule: `is not an item of ${dotted(where)}, which has ${node.length} item${node.length === 1 ? '' : 's'}; use ${range}`, onKey: true };
    }
    if (i === path.length - 1) break;
    let next = getOwn(node, seg);
    if (typeof next !== 'object' || next === null) {
      const fromFallback = getPath(fallback, path.slice(0, i + 1));
      next = typeof fromFallback === 'object' && fromFallback !== null ? structuredClone(fromFallback) : {};
      setOwn(node, seg, next);
    }
    node = next as Record<string, unknown> | unknown[];
  }
  const last = path[path.length - 1];
  const holder = node as Record<string, unknown>;
  if (last === 'kind' && isMapping(holder) && holder.kind !== value) {
    for (const key of Object.keys(holder)) delete holder[key];
  }
  setOwn(holder, last, deepMerge(getOwn(holder, last), value));
  return null;
}

/** True when one path is a prefix of the other (setting one changes the other). */
export function pathsOverlap(a: PathSeg[], b: PathSeg[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
}
