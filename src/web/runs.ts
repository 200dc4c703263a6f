/**
 * Finding runs to predict with: a catalog of runs read either from the tracking store or, when
 * there is none, from the run folders (src/tracking's run-folder module reads them). Ids go
 * through the one resolver (exact id or unique prefix) and "best" through the one ranking.
 */
import path from 'node:path';
import {
  bestBy, canPredict, idsSource, peekRunConfig, peekRunMetrics, resolveRunIdIn, RunLookupError, runFolderModelDir, runFolderPath,
  runFolderNames, runFoldersWithModel, type Run, type TrackingStore,
} from '../tracking';

export { RunLookupError, type RunProblem } from '../tracking';

/** What the page and the CLI show about a run (and what the ranking needs). */
export interface RunInfo {
  id: string;
  name: string;
  testAccuracy: number | null;
  valAccuracy: number | null;
  valLoss: number | null;
  createdAt: string | null;
}

/** Where runs are listed from: the tracking store, or the run folders. */
export interface RunCatalog {
  readonly source: 'store' | 'folders';
  /** Where the runs are, for messages. */
  readonly where: string;
  /** Finished runs with a saved model, newest first when dates are known. */
  finished(): RunInfo[];
  /** The full id for an id or a unique prefix (the one resolver); RunLookupError otherwise. */
  resolveId(typed: string): string;
  /** Any run with this full id (finished or not), or null. */
  get(id: string): RunInfo | null;
  /** The folder that holds (or would hold) the run's TF.js model. `id` must be a full id. */
  modelDir(id: string): string;
}

/**
 * The finished run ranked best (tracking/ranking: validation accuracy, ties documented there).
 * @throws RunLookupError('none-finished') when there is none
 */
export function bestRun(catalog: RunCatalog): RunInfo {
  const best = bestBy(catalog.finished(), (r) => r);
  if (best === null) {
    throw new RunLookupError('none-finished', `no finished runs in ${catalog.where} (none with a saved model); train one first (\`digits train\` or \`npm run quickstart\`), or pass --runs-dir/--db`);
  }
  return best;
}

/**
 * The run to predict with: `id` (an exact id or a unique prefix) when given, which must exist and
 * have a saved model; else the best finished run.
 * @throws RunLookupError with problem 'bad-id' | 'unknown' | 'ambiguous' | 'no-model' | 'none-finished'
 */
export function resolveRun(catalog: RunCatalog, id?: string): RunInfo {
  if (id === undefined) return bestRun(catalog);
  const full = catalog.resolveId(id);
  const run = catalog.get(full);
  if (!run) throw new RunLookupError('unknown', `no run with id "${full}" in ${catalog.where}; list runs with \`digits runs\``);
  const folder = catalog.modelDir(full);
  if (!canPredict(path.dirname(folder))) { // the run folder holds model/ or members.json
    throw new RunLookupError('no-model', `run "${full}" has no saved model (${path.join(folder, 'model.json')} is missing, and it is no ensemble with members.json); it may be unfinished or failed; pick another run`);
  }
  return run;
}

/** A catalog over the tracking store: finished runs with a saved model in their run folder. */
export function storeCatalog(store: TrackingStore): RunCatalog {
  const dirOf = (r: Run) => r.artifactDir;
  const info = (r: Run): RunInfo => ({
    id: r.id,
    name: r.name,
    testAccuracy: r.test?.accuracy ?? null,
    valAccuracy: r.validation?.accuracy ?? r.summary?.bestValAccuracy ?? null,
    valLoss: r.validation?.loss ?? r.summary?.bestValLoss ?? null,
    createdAt: r.createdAt,
  });
  return {
    source: 'store',
    where: `the tracking database ${store.file}`,
    finished: () =>
      store
        .listRuns({ status: ['finished'], sort: '-created_at' })
        .filter((r) => dirOf(r) !== null && canPredict(dirOf(r) as string))
        .map(info),
    resolveId: (typed) => store.resolveRunId(typed),
    get: (id) => {
      const r = store.getRun(id);
      return r ? info(r) : null;
    },
    modelDir: (id) => {
      const dir = store.getRun(id)?.artifactDir;
      if (!dir) throw new RunLookupError('no-model', `run "${id}" has no run folder recorded; it never started`);
      return runFolderModelDir(dir);
    },
  };
}

/**
 * A catalog that scans `<runsDir>/<id>/` (the run-folder layout): a run is finished when it has a
 * saved model and a metrics.json whose status is "finished" (or absent). Used when there is no
 * tracking database.
 */
export function folderCatalog(runsDir: string): RunCatalog {
  const read = (id: string): (RunInfo & { finished: boolean }) | null => {
    const dir = runFolderPath(runsDir, id);
    const peeked = peekRunMetrics(dir);
    if (!peeked) return null;
    const metrics = peeked.value as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const config = (peekRunConfig(dir) ?? {}) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const kind = pickString(config.model?.kind, config.spec?.model?.kind);
    return {
      id,
      name: pickString(metrics.name, config.name) ?? (kind ? `${kind} ${id}` : id),
      testAccuracy: pickNumber(metrics.test?.accuracy, metrics.testAccuracy),
      valAccuracy: pickNumber(metrics.validation?.accuracy, metrics.summary?.bestValAccuracy, metrics.valAccuracy),
      valLoss: pickNumber(metrics.validation?.loss, metrics.summary?.bestValLoss),
      createdAt: pickString(metrics.createdAt, metrics.endedAt) ?? peeked.mtime.toISOString(),
      finished: metrics.status === undefined || metrics.status === 'finished',
    };
  };
  const strip = ({ finished: _finished, ...info }: RunInfo & { finished: boolean }): RunInfo => info;
  return {
    source: 'folders',
    where: runsDir,
    finished: () =>
      runFoldersWithModel(runsDir)
        .map(read)
        .filter((r): r is RunInfo & { finished: boolean } => r !== null && r.finished)
        .map(strip)
        .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? '')),
    resolveId: (typed) => resolveRunIdIn(idsSource(runFolderNames(runsDir), runsDir), typed),
    get: (id) => {
      const found = read(id);
      return found ? strip(found) : { id, name: id, testAccuracy: null, valAccuracy: null, valLoss: null, createdAt: null };
    },
    modelDir: (id) => runFolderModelDir(runFolderPath(runsDir, id)),
  };
}

function pickNumber(...values: unknown[]): number | null {
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) return v;
  return null;
}

function pickString(...values: unknown[]): string | null {
  for (const v of values) if (typeof v === 'string' && v.length > 0) return v;
  return null;
}
