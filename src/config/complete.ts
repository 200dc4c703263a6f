/**
 * The one rule for fields that were added after the first release (defaults.ts LATE_FIELDS):
 * `completeSpec` fills them where a spec lacks them (a spec stored before they existed, or built
 * by hand), and `hashForm` leaves them out while they are at their default, so that such a field
 * written equal to its default hashes as if unwritten and old trial hashes stay what they were.
 */
import { LATE_FIELDS } from './defaults';
import type { RunSpec } from './types';

type Holder = Record<string, unknown>;

/** Every object that holds the last segment of `key` ("model.blocks.*.stride" -> each block). */
function holders(root: unknown, key: string): Holder[] {
  const segs = key.split('.');
  let nodes: unknown[] = [root];
  for (const seg of segs.slice(0, -1)) {
    nodes = nodes.flatMap((n) => {
      if (seg === '*') return Array.isArray(n) ? n : [];
      return n !== null && typeof n === 'object' && !Array.isArray(n) && Object.hasOwn(n, seg) ? [(n as Holder)[seg]] : [];
    });
  }
  return nodes.filter((n): n is Holder => n !== null && typeof n === 'object' && !Array.isArray(n));
}

const lastSeg = (key: string) => key.slice(key.lastIndexOf('.') + 1);

/**
 * A copy of `spec` with every late field present (its default where it was missing). Specs from
 * the resolver are already complete; this is for specs read back from older runs.
 * @example completeSpec(storedRun.spec).train.replicas // 1
 */
export function completeSpec<T extends RunSpec>(spec: T): T {
  const out = structuredClone(spec);
  for (const field of LATE_FIELDS) {
    const name = lastSeg(field.key);
    for (const h of holders(out, field.key)) if (h[name] === undefined) h[name] = field.dflt(out);
  }
  return out;
}

/** What a trial hash is taken of: `spec` without the late fields that are at their default. */
export function hashForm(spec: RunSpec): RunSpec {
  const out = structuredClone(spec);
  for (const field of LATE_FIELDS) {
    const name = lastSeg(field.key);
    const dflt = field.dflt(spec);
    for (const h of holders(out, field.key)) if (h[name] === dflt || h[name] === undefined) delete h[name];
  }
  return out;
}
