/**
 * The layer check (`npm run lint:layers`, part of `npm test`): the module table of docs/architecture.md as rules.
 * MAY_IMPORT is that table's "imports" column; test/layers.test.ts checks that the two agree. Every module may
 * import the root files (src/errors.ts, src/random.ts, src/files.ts); only front doors outside src/ import src/index.ts.
 */
const MAY_IMPORT = {
  config: [],
  engine: [],
  data: ['config'],
  models: ['config', 'engine'],
  tracking: ['config'],
  train: ['config', 'data', 'engine', 'models', 'tracking'],
  report: ['config', 'data', 'tracking', 'train'],
  runner: ['config', 'data', 'engine', 'models', 'tracking', 'train', 'report'],
  web: ['config', 'data', 'engine', 'models', 'tracking', 'train'],
  notebook: ['config', 'data', 'engine', 'models', 'tracking', 'train', 'report', 'runner'],
  cli: ['config', 'data', 'engine', 'models', 'tracking', 'train', 'report', 'runner', 'web', 'notebook'],
};
const MODULES = Object.keys(MAY_IMPORT);

const layerRules = MODULES.map((mod) => {
  const denied = MODULES.filter((other) => other !== mod && !MAY_IMPORT[mod].includes(other));
  return {
    name: `layer-${mod}`,
    comment: `${mod}/ may import only ${MAY_IMPORT[mod].join(', ') || 'the root files'} (docs/architecture.md)`,
    severity: 'error',
    from: { path: `^src/${mod}/` },
    to: { path: denied.length ? `^src/(${denied.join('|')})/` : '^$' },
  };
});

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'files must not import each other in a cycle',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'through-index',
      comment: "another module is imported through its index.ts, never past it",
      severity: 'error',
      from: { path: '^src/([^/]+)/' },
      to: { path: '^src/[^/]+/.+', pathNot: ['^src/$1/', '^src/[^/]+/index\\.ts$'] },
    },
    {
      name: 'unknown-module',
      comment: 'every folder under src/ is a module of the table (add it to MAY_IMPORT and docs/architecture.md)',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/[^/]+/', pathNot: `^src/(${MODULES.join('|')})/` },
    },
    {
      name: 'no-public-api-inside',
      comment: 'src/index.ts is the public API for notebooks and programs outside src/, not for src/ itself',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/index\\.ts$' },
    },
    ...layerRules,
  ],
  options: {
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    doNotFollow: { path: 'node_modules' },
    exclude: { path: 'node_modules' },
  },
};

// Read by test/layers.test.ts; not enumerable, so dependency-cruiser's own validation does not see it.
Object.defineProperty(module.exports, 'MAY_IMPORT', { value: MAY_IMPORT, enumerable: false });
