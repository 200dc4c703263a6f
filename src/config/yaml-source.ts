/**
 * Reading YAML with positions: parse errors and validation issues point at `file:line:col`.
 * A Source answers "where in the user's input does this spec path come from?".
 */
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument } from 'yaml';
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

/** Parses YAML text, keeping node positions; syntax errors are formatted, not thrown. */
export function parseYaml(text: string, label: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const errors = doc.errors.map((e) => {
    const pos = lines.linePos(e.pos[0]);
    return `${label}:${pos.line}:${pos.col}: ${e.message.split('\n')[0]}`;
  });
  const data = errors.length ? undefined : doc.toJS({ maxAliasCount: 100 });
  return { data, root: (doc.contents as Node | null) ?? null, lines, errors };
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

/** A source for a command-line override: every path under its key points at the flag itself. */
export function flagSource(key: PathSeg[], flag: string): Source {
  return {
    locate(path) {
      if (key.some((seg, i) => String(seg) !== String(path[i]))) return null;
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
