/** Deep merge and dotted-key helpers for partial specs (plain JSON-like values). */
import { isMapping, type PathSeg } from './schema';

/**
 * Merges `over` into `base`: mappings merge key by key, anything else (lists included) replaces.
 * A mapping whose `kind` differs from the base's replaces it whole (an rnn does not inherit cnn fields).
 */
export function deepMerge(base: unknown, over: unknown, implicitKinds: Record<string, string> = IMPLICIT_KINDS, at = ''): unknown {
  if (over === undefined) return structuredClone(base);
  if (!isMapping(base) || !isMapping(over)) return structuredClone(over);
  const baseKind = base.kind ?? implicitKinds[at];
  if ('kind' in over && baseKind !== undefined && over.kind !== baseKind) return structuredClone(over);
  const out: Record<string, unknown> = structuredClone(base);
  for (const [key, value] of Object.entries(over)) out[key] = deepMerge(base[key], value, implicitKinds, at ? `${at}.${key}` : key);
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

/**
 * Sets `value` at `path` inside `target` (modified in place), creating mappings on the way.
 * Setting a different `kind` clears the sibling fields; a mapping value is deep-merged.
 */
export function setPath(target: Record<string, unknown>, path: PathSeg[], value: unknown): void {
  let node: Record<string, unknown> | unknown[] = target;
  for (let i = 0; i < path.length - 1; i++) {
    const seg = path[i];
    const next = (node as Record<string, unknown>)[seg as string];
    if (typeof next !== 'object' || next === null) {
      (node as Record<string, unknown>)[seg as string] = {};
    }
    node = (node as Record<string, unknown>)[seg as string] as Record<string, unknown>;
  }
  const last = path[path.length - 1];
  const holder = node as Record<string, unknown>;
  if (last === 'kind' && isMapping(holder) && holder.kind !== value) {
    for (const key of Object.keys(holder)) delete holder[key];
  }
  holder[last as string] = deepMerge(holder[last as string], value);
}

/** True when one path is a prefix of the other (setting one changes the other). */
export function pathsOverlap(a: PathSeg[], b: PathSeg[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (String(a[i]) !== String(b[i])) return false;
  return true;
}
