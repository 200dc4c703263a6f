/** Flattening a spec into dotted keys: the queryable params of a run. */
import type { RunSpec } from './types';

export type ParamValue = string | number | boolean | null;

/**
 * Every scalar of the spec under its dotted key; list items get their index.
 * @example flattenParams(spec)['train.optimizer.learningRate'] // 0.001
 */
export function flattenParams(spec: RunSpec | Record<string, unknown>): Record<string, ParamValue> {
  const out: Record<string, ParamValue> = {};
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      if (value.length === 0) out[key] = '[]';
      value.forEach((item, i) => walk(item, `${key}.${i}`));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, key ? `${key}.${k}` : k);
    } else if (value !== undefined) {
      Object.defineProperty(out, key, { value, writable: true, enumerable: true, configurable: true });
    }
  };
  walk(spec, '');
  return out;
}
