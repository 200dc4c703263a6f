/** The vega, vega-lite and vega-embed browser bundles, read from node_modules to inline in a page. */
import fs from 'node:fs';
import path from 'node:path';

const BUNDLES: [pkg: string, file: string][] = [
  ['vega', 'vega.min.js'],
  ['vega-lite', 'vega-lite.min.js'],
  ['vega-embed', 'vega-embed.min.js'],
];

let cached: string[] | null = null;

/**
 * The three UMD builds in load order (vega, vega-lite, vega-embed), ready to sit inside inline
 * <script> elements: source-map comments removed and any `</script` sequence broken up.
 */
export function vegaBundles(): string[] {
  cached ??= BUNDLES.map(([pkg, file]) => {
    // Each package's main entry lives in its build/ folder, beside the browser bundle.
    const bundle = path.join(path.dirname(require.resolve(pkg)), file);
    const source = fs.readFileSync(bundle, 'utf8');
    return source.replace(/\n\/\/# sourceMappingURL=\S+\s*$/, '\n').replace(/<\/script/gi, '<\\/script');
  });
  return cached;
}
