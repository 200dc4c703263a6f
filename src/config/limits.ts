/**
 * Bounds on what one experiment may ask for, checked before the work they bound, so that a huge
 * or hostile file is refused in milliseconds with one clear message instead of exhausting memory.
 */
export const LIMITS = {
  /** Bytes of one experiment file (the shipped ones are under 2 KB; parsing 256 KiB takes under a second). */
  fileBytes: 256 * 1024,
  /** Mapping keys and list items in one file, all levels together. */
  nodes: 10_000,
  /** Nesting depth of mappings and lists in one file. */
  depth: 32,
  /** YAML alias expansions in one file (the yaml library's default is 100; a billion-laughs file needs millions). */
  aliases: 100,
  /** Trials one experiment expands to: variants x grid values x random samples x seeds. */
  trials: 10_000,
  /** Problems listed in one error message; the rest are counted. */
  problems: 50,
  /** Characters of one `--set key=value` flag. */
  setFlag: 10_000,
} as const;
