/**
 * Loaded into the notebook kernel before tslab (see kernelSpec in kernel.ts).
 *
 * tslab 1.0.22 type-checks cells with a TypeScript watch program, which also watches the folders
 * where module lookups failed (importing './src' watches the project root and src/). When a file
 * appears there (an editor's temp file, a build, a new module), TypeScript schedules a rebuild timer
 * that tslab never runs, and every later cell fails with "Unexpected pending rebuildTimer" until the
 * kernel restarts (test/notebook/execute.test.ts reproduces it). Watching files and folders is
 * switched off here, so the kernel keeps seeing src/ as it was when it started, exactly as Node's
 * module cache does: restart the kernel after editing src/.
 */
import path from 'node:path';

interface Watcher { close(): void }
interface TsSys { watchFile?: (...args: unknown[]) => Watcher; watchDirectory?: (...args: unknown[]) => Watcher }

const tslabDir = path.dirname(require.resolve('tslab/package.json'));
const ts = require(require.resolve('@tslab/typescript-for-tslab', { paths: [tslabDir] })) as { sys: TsSys };
const unwatched = (): Watcher => ({ close: () => undefined });
ts.sys.watchFile = unwatched;
ts.sys.watchDirectory = unwatched;
