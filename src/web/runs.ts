/**
 * Finding runs to predict with: validated run ids, run folders, and a catalog of finished runs
 * read either from the tracking store or, when there is none, from the run folders' metrics.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import type { Run, TrackingStore } from '../tracking';

/** Why a run could not be used; the web server maps each to an HTTP status. */
export type RunProblem = 'bad-id' | 'unknown' | 'no-model' | 'none-finished';

export class RunLookupError extends UserError {
  readonly problem: RunProblem;

  constructor(problem: RunProblem, message: string) {
    super(message);
    this.problem = problem;
  }
}

/** What the page and the CLI show about a run. */
export interface RunInfo {
  id: string;
  name: string;
  testAccuracy: number | null;
  valAccuracy: number | null;
  createdAt: string | null;
}

/** Where runs are listed from: the tracking store, or the run folders. */
export interface RunCatalog {
  readonly source: 'store' | 'folders';
  /** Finished runs, newest first when dates are known. */
  finished(): RunInfo[];
  /** Any run with this id (finished or not), or null. `id` must be valid (see runFolder). */
  get(id: string): RunInfo | null;
  /** The folder that holds (or would hold) the run's TF.js model. `id` must be valid. */
  modelDir(id: string): string;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/**
 * Checks a run id (letters, digits, '.', '_', '-'; not starting with '.'; at most 128 characters)
 * and returns its folder, which is guaranteed to be inside `runsDir`.
 * @throws RunLookupError('bad-id') for anything else, such as "../../etc"
 */
export function runFolder(runsDir: string, id: string): string {
  if (!RUN_ID.test(id)) {
    throw new RunLookupError(
      'bad-id',
      `run id ${JSON.stringify(id.length > 80 ? `${id.slice(0, 80)}...` : id)} is not valid; ids use letters, digits, ".", "_" and "-" (not starting with "."); list runs with \`digits runs\``,
    );
  }
  const root = path.resolve(runsDir);
  const dir = path.resolve(root, id);
  if (path.dirname(dir) !== root) {
    throw new RunLookupError('bad-id', `run id ${JSON.stringify(id)} points outside the runs folder ${root}`);
  }
  return dir;
}

/** The folder holding a run's TF.js model (model.json + weights.bin). */
export function modelFolder(runsDir: string, id: string): string {
  return path.join(runFolder(runsDir, id), 'model');
}

/**
 * The finished run with the best validation accuracy (ties: the newer one).
 * @throws RunLookupError('none-finished') when there is none
 */
export function bestRun(catalog: RunCatalog, where: string): RunInfo {
  const runs = catalog.finished();
  if (runs.length === 0) {
    throw new RunLookupError('none-finished', `no finished runs in ${where}; train one first (\`digits train\` or \`npm run quickstart\`), or pass --runs-dir/--db`);
  }
  let best = runs[0];
  for (const r of runs) if ((r.valAccuracy ?? -1) > (best.valAccuracy ?? -1)) best = r;
  return best;
}

/**
 * The run to predict with: `id` when given (validated, must exist and have a saved model), else
 * the finished run with the best validation accuracy.
 * @throws RunLookupError with problem 'bad-id' | 'unknown' | 'no-model' | 'none-finished'
 */
export function resolveRun(catalog: RunCatalog, runsDir: string, id?: string): RunInfo {
  const where = catalog.source === 'store' ? 'the tracking database' : runsDir;
  if (id === undefined) return bestRun(catalog, where);
  runFolder(runsDir, id); // validates the id first
  const run = catalog.get(id);
  if (!run) throw new RunLookupError('unknown', `no run with id "${id}" in ${where}; list runs with \`digits runs\``);
  const folder = catalog.modelDir(id);
  if (!canPredict(folder)) {
    throw new RunLookupError('no-model', `run "${id}" has no saved model (${path.join(folder, 'model.json')} is missing, and it is no ensemble with members.json); it may be unfinished or failed; pick another run`);
  }
  return run;
}

/**
 * A catalog over the tracking store: finished runs that have a saved model, found in the run's
 * recorded artifact folder (else `<runsDir>/<id>/model`).
 */
export function storeCatalog(store: TrackingStore, runsDir: string): RunCatalog {
  const modelDir = (r: Run | null, id: string) => (r?.artifactDir ? path.resolve(r.artifactDir, 'model') : modelFolder(runsDir, id));
  const info = (r: Run): RunInfo => ({
    id: r.id,
    name: r.name,
    testAccuracy: r.test?.accuracy ?? null,
    valAccuracy: r.summary?.bestValAccuracy ?? r.validation?.accuracy ?? null,
    createdAt: r.createdAt,
  });
  return {
    source: 'store',
    finished: () =>
      store
        .listRuns({ status: ['finished'] })
        .filter((r) => RUN_ID.test(r.id) && canPredict(modelDir(r, r.id)))
        .map(info),
    get: (id) => {
      const r = store.getRun(id);
      return r ? info(r) : null;
    },
    modelDir: (id) => modelDir(store.getRun(id), id),
  };
}

/**
 * A catalog that scans `<runsDir>/<id>/` (the layout src/train/artifacts writes): a run is finished
 * when it has model/model.json and a metrics.json whose status is "finished" (or absent). Used when
 * there is no tracking database.
 */
export function folderCatalog(runsDir: string): RunCatalog {
  const read = (id: string): (RunInfo & { finished: boolean }) | null => {
    const dir = path.join(runsDir, id);
    const metrics = readJson(path.join(dir, 'metrics.json'));
    if (!metrics) return null;
    const config = readJson(path.join(dir, 'config.json')) ?? {};
    const kind = pickString(config.model?.kind, config.spec?.model?.kind);
    return {
      id,
      name: pickString(metrics.name, config.name) ?? (kind ? `${kind} ${id}` : id),
      testAccuracy: pickNumber(metrics.test?.accuracy, metrics.testAccuracy),
      valAccuracy: pickNumber(metrics.summary?.bestValAccuracy, metrics.validation?.accuracy, metrics.valAccuracy),
      createdAt: pickString(metrics.createdAt, metrics.endedAt) ?? fs.statSync(path.join(dir, 'metrics.json')).mtime.toISOString(),
      finished: metrics.status === undefined || metrics.status === 'finished',
    };
  };
  return {
    source: 'folders',
    finished: () => {
      const ids = fs.existsSync(runsDir) ? fs.readdirSync(runsDir).filter((id) => RUN_ID.test(id) && hasModel(runsDir, id)) : [];
      return ids
        .map(read)
        .filter((r): r is RunInfo & { finished: boolean } => r !== null && r.finished)
        .map(({ finished: _finished, ...info }) => info)
        .sort((a, b) => (b.createdAt ?? '').localeCompare(a.createdAt ?? ''));
    },
    get: (id) => {
      if (!fs.existsSync(runFolder(runsDir, id))) return null;
      const { finished: _finished, ...info } = read(id) ?? { id, name: id, testAccuracy: null, valAccuracy: null, createdAt: null, finished: false };
      return info;
    },
    modelDir: (id) => modelFolder(runsDir, id),
  };
}

function hasModel(runsDir: string, id: string): boolean {
  return canPredict(modelFolder(runsDir, id));
}

/**
 * Whether a run can predict, given its model folder: a single network has model/model.json; an
 * ensemble run has members.json beside it (its members' models are loaded; see run-model.ts).
 */
export function canPredict(modelDir: string): boolean {
  return fs.existsSync(path.join(modelDir, 'model.json')) || fs.existsSync(path.join(path.dirname(modelDir), 'members.json'));
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function readJson(file: string): any | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function pickNumber(...values: unknown[]): number | null {
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) return v;
  return null;
}

function pickString(...values: unknown[]): string | null {
  for (const v of values) if (typeof v === 'string' && v.length > 0) return v;
  return null;
}
