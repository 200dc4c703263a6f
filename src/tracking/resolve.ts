/**
 * The one run-id resolver: every command and the web API turn what the user typed into a run id
 * here. An exact id wins; else a unique prefix; an ambiguous prefix lists its candidates; an unknown
 * id suggests the closest one.
 */
import { closest } from 'fastest-levenshtein';
import { RunLookupError } from './lookup-error';
import { quoteShort, RUN_FOLDER_NAME } from './run-folder';

/** A run that a prefix matched, with what the user sees about it. */
export interface IdCandidate {
  id: string;
  label?: string; // e.g. 'cnn-grid: lr=0.001 seed=1'
}

/** How many candidates an ambiguous prefix lists. */
const SHOWN = 10;

/** Where ids come from: runs whose id starts with `prefix` (at most `limit`, in id order), and recent ids for suggestions. */
export interface IdSource {
  withPrefix(prefix: string, limit: number): IdCandidate[];
  recent(): string[];
  /** Said in the "unknown" message, e.g. "the tracking database" or a runs folder. */
  where: string;
}

/**
 * The full run id for an exact id or a unique prefix of one.
 * @throws RunLookupError 'bad-id' (not an id at all), 'ambiguous' (lists the candidates), 'unknown' (suggests one)
 * @example resolveRunIdIn(source, '7kq') // '7kq2mi9x2k1q'
 */
export function resolveRunIdIn(source: IdSource, typed: string): string {
  const prefix = typed.trim();
  if (prefix === '') throw new RunLookupError('bad-id', 'the run id is empty; give a run id or a unique prefix of one (`digits runs` lists them)');
  if (!RUN_FOLDER_NAME.test(prefix)) {
    throw new RunLookupError('bad-id', `run id ${quoteShort(prefix)} is not valid; ids use letters, digits, ".", "_" and "-" and have at most 128 characters; \`digits runs\` lists them`);
  }
  const matches = source.withPrefix(prefix, SHOWN + 1);
  const exact = matches.find((m) => m.id === prefix);
  if (exact) return exact.id;
  if (matches.length === 1) return matches[0].id;
  if (matches.length > 1) {
    const shown = matches.slice(0, SHOWN).map((m) => `${m.id}${m.label ? ` (${m.label})` : ''}`);
    const count = matches.length > SHOWN ? `more than ${SHOWN} runs` : `${matches.length} runs`;
    throw new RunLookupError('ambiguous', `run id prefix ${quoteShort(prefix)} is ambiguous; it matches ${count}:\n  ${shown.join('\n  ')}\nType more characters of the id.`);
  }
  const recent = source.recent();
  const near = recent.length ? ` (did you mean ${closest(prefix, recent)}?)` : '';
  throw new RunLookupError('unknown', `no run with id ${quoteShort(prefix)} in ${source.where}${near}; \`digits runs\` lists the runs`);
}

/**
 * An IdSource over a list of ids (run folders found on disk).
 * @example resolveRunIdIn(idsSource(runFoldersWithModel(dir), dir), 'mi9')
 */
export function idsSource(ids: string[], where: string): IdSource {
  const sorted = [...ids].sort();
  return {
    withPrefix: (prefix, limit) => sorted.filter((id) => id.startsWith(prefix)).slice(0, limit).map((id) => ({ id })),
    recent: () => sorted, // every folder id: with random first characters, the last 1,000 in order are not the newest
    where,
  };
}
