/**
 * A learning curve that redraws itself in a notebook while a run trains: after each epoch it reads
 * the run and its history back from the tracking store (what the CLI and reports see) and renders
 * the report's learning-curves chart; a text line shows progress inside the epoch.
 */
import { learningCurvesSpec } from '../report';
import type { TrackingStore } from '../tracking';
import type { BatchProgress } from '../train';
import type { EpochMetrics } from '../train';
import { vegaLiteSvg } from './svg';

/** The part of a tslab Display (tslab.newDisplay()) these helpers use: each call replaces the entry. */
export interface DisplayLike {
  svg(s: string): void;
  text(s: string): void;
}

export interface LiveCurvesOptions {
  /** Where the chart goes; each epoch replaces it. */
  chart: DisplayLike;
  /** Where the progress line goes (optional). */
  progress?: DisplayLike;
  /** Minimum milliseconds between progress lines; default 500. */
  progressEveryMs?: number;
}

export interface LiveCurves {
  /** Pass as trainAndRecord's onEpoch. */
  onEpoch(metrics: EpochMetrics): void;
  /** Pass as trainAndRecord's onBatch. */
  onBatch(progress: BatchProgress): void;
  /** Waits for the last redraw; rethrows the first drawing error. Await it before the cell ends. */
  flush(): Promise<void>;
}

/**
 * Live learning curves of run `runId` (a run created in `store`, trained with trainAndRecord).
 * @example
 *   const live = liveLearningCurves(store, run.id, { chart: tslab.newDisplay(), progress: tslab.newDisplay() });
 *   await trainAndRecord({ ..., store, runId: run.id, onEpoch: live.onEpoch, onBatch: live.onBatch });
 *   await live.flush();
 */
export function liveLearningCurves(store: TrackingStore, runId: string, options: LiveCurvesOptions): LiveCurves {
  const every = options.progressEveryMs ?? 500;
  let drawing: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  let lastProgress = 0;
  const draw = async () => {
    const run = store.getRun(runId);
    if (!run) throw new Error(`liveLearningCurves: run ${runId} is not in the tracking store`);
    const history = store.history(runId);
    options.chart.svg(await vegaLiteSvg(learningCurvesSpec([run], new Map([[runId, history]]), { width: 300 })));
  };
  return {
    onEpoch: (m) => {
      options.progress?.text(epochLine(m));
      drawing = drawing.then(draw).catch((err) => {
        failure ??= err;
      });
    },
    onBatch: (p) => {
      const now = Date.now();
      if (!options.progress || (now - lastProgress < every && p.batch < p.batches)) return;
      lastProgress = now;
      options.progress.text(batchLine(p));
    },
    flush: async () => {
      await drawing;
      if (failure) throw failure;
    },
  };
}

function batchLine(p: BatchProgress): string {
  return (
    `epoch ${p.epoch}/${p.epochs} · batch ${p.batch}/${p.batches} · loss ${p.loss.toFixed(4)} · ` +
    `accuracy ${(p.accuracy * 100).toFixed(1)}% · ${Math.round(p.imagesPerSec)} img/s`
  );
}

function epochLine(m: EpochMetrics): string {
  return (
    `epoch ${m.epoch} done in ${m.seconds.toFixed(1)} s · loss ${m.loss.toFixed(4)} · validation loss ${m.valLoss.toFixed(4)} · ` +
    `validation accuracy ${(m.valAccuracy * 100).toFixed(2)}%`
  );
}
