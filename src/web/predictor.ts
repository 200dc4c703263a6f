/**
 * Predicting digits with a run's saved model: models are loaded once and kept in a small LRU
 * cache, and concurrent predictions for the same model share a batch.
 */
import { loadRunModel, RunModel } from './run-model';
import { resolveRun, RunCatalog, RunInfo } from './runs';

/**
 * One prediction: the digit, all ten probabilities (calibrated when the run has a temperature), the
 * three most likely digits, and whether the answer is unsure (confidence below the run's
 * threshold chosen on validation; never for a run without calibration).
 */
export interface Prediction {
  digit: number;
  confidence: number; // probabilities[digit]
  unsure: boolean;
  calibrated: boolean;
  probabilities: number[]; // [10], digit order
  top3: Array<{ digit: number; probability: number }>;
}

const RUN_TTL_MS = 1000;

interface Loaded {
  model: RunModel;
  retired: boolean; // evicted from the cache: the model is (being) disposed
}

export interface PredictorOptions {
  catalog: RunCatalog;
  /** How many models to keep loaded (least recently used ones are disposed). */
  cacheSize?: number;
  /** Largest batch one forward pass takes. */
  maxBatch?: number;
}

/**
 * Loads run models on demand (cached) and predicts digits with them.
 * @example const p = new Predictor({ catalog: folderCatalog('runs') });
 *          const { digit } = await p.predict(p.resolveRun().id, prepared.pixels);
 */
export class Predictor {
  private readonly cache = new Map<string, Promise<Loaded>>();
  private readonly cacheSize: number;
  private readonly runs = new Map<string, { run: RunInfo; at: number }>();

  constructor(private readonly options: PredictorOptions) {
    this.cacheSize = Math.max(1, options.cacheSize ?? 3);
  }

  /** The run named by `id` (an exact id or a unique prefix), or the best finished run when `id` is undefined. */
  resolveRun(id?: string): RunInfo {
    // Remembered for a second: a lookup reads files or the database, and every request asks.
    const key = id ?? '';
    const hit = this.runs.get(key);
    if (hit && Date.now() - hit.at < RUN_TTL_MS) return hit.run;
    const run = resolveRun(this.options.catalog, id);
    if (this.runs.size > 100) this.runs.clear();
    this.runs.set(key, { run, at: Date.now() });
    return run;
  }

  /** Predicts one preprocessed digit ([784] in [0,1]) with the run's model. */
  async predict(runId: string, pixels: Float32Array): Promise<Prediction> {
    for (;;) {
      const loaded = await this.load(runId);
      if (!loaded.retired) return toPrediction(await loaded.model.predict(pixels), loaded.model);
    }
  }

  /** Loads a run's model and runs one blank digit through it, so the first real request is not slow. */
  async warm(runId: string): Promise<void> {
    await this.predict(runId, new Float32Array(784));
  }

  /** Finished runs that have a model, as the catalog lists them. */
  finishedRuns(): RunInfo[] {
    return this.options.catalog.finished();
  }

  /** Model ids currently loaded, least recently used first. */
  loadedRuns(): string[] {
    return [...this.cache.keys()];
  }

  /** Frees every loaded model. */
  async dispose(): Promise<void> {
    const entries = [...this.cache.values()];
    this.cache.clear();
    for (const entry of entries) retire(entry);
  }

  private load(runId: string): Promise<Loaded> {
    const hit = this.cache.get(runId);
    if (hit) {
      this.cache.delete(runId); // re-insert: most recently used last
      this.cache.set(runId, hit);
      return hit;
    }
    const entry = this.open(runId);
    this.cache.set(runId, entry);
    entry.catch(() => this.cache.get(runId) === entry && this.cache.delete(runId));
    while (this.cache.size > this.cacheSize) {
      const [oldest, old] = this.cache.entries().next().value as [string, Promise<Loaded>];
      this.cache.delete(oldest);
      retire(old);
    }
    return entry;
  }

  private async open(runId: string): Promise<Loaded> {
    return { model: await loadRunModel(this.options.catalog, runId, this.options.maxBatch), retired: false };
  }
}

function retire(entry: Promise<Loaded>): void {
  entry.then(
    (loaded) => {
      loaded.retired = true;
      loaded.model.dispose();
    },
    () => undefined,
  );
}

function toPrediction(probs: Float32Array, model: RunModel): Prediction {
  const probabilities = Array.from(probs, (p) => Math.round(p * 1e6) / 1e6);
  const order = probabilities.map((p, digit) => ({ digit, probability: p })).sort((a, b) => b.probability - a.probability);
  const confidence = order[0].probability;
  const unsure = model.calibration !== null && confidence < model.calibration.unsureBelow;
  return { digit: order[0].digit, confidence, unsure, calibrated: model.calibration !== null, probabilities, top3: order.slice(0, 3) };
}
