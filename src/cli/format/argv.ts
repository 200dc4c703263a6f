/**
 * `--sort -test_accuracy` would read as short flags -t -e -s ... to yargs; options whose values may
 * start with "-" get their value attached (`--sort=-test_accuracy`) before parsing.
 */
const DASH_VALUE_OPTIONS = new Set(['--sort', '-s']);

/** Joins `--sort -x` into `--sort=-x`; everything else passes through unchanged. */
export function attachDashValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (DASH_VALUE_OPTIONS.has(argv[i]) && next !== undefined && /^-[A-Za-z_]/.test(next)) {
      out.push(`${argv[i]}=${next}`);
      i++;
    } else out.push(argv[i]);
  }
  return out;
}
