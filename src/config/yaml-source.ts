/**
 * Reading YAML with positions: parse errors and validation issues point at `file:line:col`.
 * A Source answers "where in the user's input does this spec path come from?".
 */
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
import { LIMITS } from './limits';
import type { PathSeg } from './schema';

export interface Located {
  where: string; // "experiments/x.yaml:12:5" or "--set train.epochs=abc"
  depth: number; // how many path segments matched (a full match is the path's length)
}

export interface Source {
  /** Where `path` (a spec path) was written in this source, or null if this source does not hold it. */
  locate(path: PathSeg[], onKey: boolean): Located | null;
}

export interface ParsedYaml {
  data: unknown;
  root: Node | null;
  lines: LineCounter;
  errors: string[]; // already formatted "file:line:col: message"
}

/** Parses YAML text, keeping node positions; syntax errors and limits (limits.ts) are formatted, not thrown. */
export function parseYaml(text: string, label: string): ParsedYaml {
  const lines = new LineCounter();
  const failed = (message: string): ParsedYaml => ({ data: undefined, root: null, lines, errors: [`${label}: ${message}`] });
  let doc: ReturnType<typeof parseDocument>;
  try {
    // uniqueKeys is checked by shapeErrors below: the library's check is quadratic in a mapping's size.
    doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
  } catch (err) {
    if (err instanceof RangeError) return failed(`is nested too deeply to read (more than ${LIMITS.depth} levels are refused); flatten it`);
    throw err;
  }
  const errors = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    const message = /call stack/i.test(e.message) ? `nested too deeply to read (more than ${LIMITS.depth} levels are refused); flatten it` : e.message.split('\n')[0];
    return `${label}:${pos.line}:${pos.col}: ${message}`;
  });
  const root = (doc.contents as Node | null) ?? null;
  if (errors.length === 0) errors.push(...shapeErrors(root, lines, label));
  if (errors.length) return { data: undefined, root, lines, errors };
  try {
    return { data: doc.toJS({ maxAliasCount: LIMITS.aliases }), root, lines, errors };
  } catch (err) {
    if (err instanceof ReferenceError && /alias/i.test(err.message)) {
      return failed(`its YAML aliases (*name) expand to too much data (a limit of ${LIMITS.aliases} expansions guards against "billion laughs" files); write the values out or use fewer aliases`);
    }
    if (err instanceof RangeError) return failed(`is nested too deeply to read (more than ${LIMITS.depth} levels are refused); flatten it`);
    throw err;
  }
}

/** Duplicate keys, and the node-count and depth limits, checked on the parsed tree (iteratively). */
function shapeErrors(root: Node | null, lines: LineCounter, label: string): string[] {
  const errors: string[] = [];
  const stack: { node: unknown; depth: number }[] = [{ node: root, depth: 1 }];
  let count = 0;
  while (stack.length) {
    const { node, depth } = stack.pop()!;
    if (!isMap(node) && !isSeq(node)) continue;
    if (depth > LIMITS.depth) return [`${positionOf(node, lines, label)}: nested more than ${LIMITS.depth} levels deep, the limit for an experiment file; flatten it`];
    count += node.items.length;
    if (count > LIMITS.nodes) return [`${label}: holds more than ${LIMITS.nodes.toLocaleString('en-US')} keys and list items, the limit for an experiment file; an experiment writes only what differs from the defaults`];
    if (isMap(node)) {
      const seen = new Set<string>();
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : null;
        if (key !== null && seen.has(key)) errors.push(`${positionOf(pair.key as Node, lines, label)}: Map keys must be unique; "${key}" is written twice`);
        if (key !== null) seen.add(key);
        stack.push({ node: pair.value, depth: depth + 1 });
      }
    } else {
      for (const item of node.items) stack.push({ node: item, depth: depth + 1 });
    }
  }
  return errors;
}

/** The child node of a YAML map or sequence, with the key node when it is a map entry. */
export function childNode(node: Node | null | undefined, seg: PathSeg): { key: Node | null; value: Node | null } | null {
  if (isMap(node)) {
    const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(seg));
    return pair ? { key: pair.key as Node, value: (pair.value as Node | null) ?? null } : null;
  }
  if (isSeq(node) && typeof seg === 'number') {
    const item = node.items[seg] as Node | undefined;
    return item ? { key: null, value: item } : null;
  }
  return null;
}

/** "label:line:col" of a node's start. */
export function positionOf(node: Node | null, lines: LineCounter, label: string): string {
  if (!node?.range) return label;
  const pos = lines.linePos(node.range[0]);
  return `${label}:${pos.line}:${pos.col}`;
}

/**
 * A source for a YAML node that holds the spec subtree at `prefix` (the document root for a base
 * file, one grid value for a grid axis). `keyNode` marks the key that named the subtree.
 */
export function yamlSource(yaml: ParsedYaml, label: string, node: Node | null, prefix: PathSeg[], keyNode: Node | null = null): Source {
  return {
    locate(path, onKey) {
      if (path.length < prefix.length) {
        // An unknown key on the way to this source's key was written here (e.g. a misspelt grid key).
        const onTheWay = onKey && keyNode && path.every((seg, i) => String(seg) === String(prefix[i]));
        return onTheWay ? { where: positionOf(keyNode, yaml.lines, label), depth: path.length } : null;
      }
      if (prefix.some((seg, i) => String(seg) !== String(path[i]))) return null;
      let current: Node | null = node;
      let key: Node | null = keyNode;
      let depth = prefix.length;
      for (const seg of path.slice(prefix.length)) {
        const next = childNode(current, seg);
        if (!next) break;
        current = next.value;
        key = next.key;
        depth++;
      }
      if (depth === 0 && prefix.length === 0) return { where: label, depth: 0 };
      const full = depth === path.length;
      const target = full && onKey && key ? key : current ?? key;
      return { where: positionOf(target, yaml.lines, label), depth };
    },
  };
}

/** A source for a command-line override: every path under its key, or on the way to it, points at the flag itself. */
export function flagSource(key: PathSeg[], flag: string): Source {
  return {
    locate(path) {
      if (key.some((seg, i) => i < path.length && String(seg) !== String(path[i]))) return null;
      return { where: flag, depth: path.length };
    },
  };
}

/** Picks the first source holding the full path, else the deepest partial match. */
export function locateIn(sources: Source[], path: PathSeg[], onKey: boolean): string {
  let best: Located | null = null;
  for (const source of sources) {
    const found = source.locate(path, onKey);
    if (!found) continue;
    if (found.depth === path.length) return found.where;
    if (!best || found.depth > best.depth) best = found;
  }
  return best?.where ?? '';
}
