/**
 * A learning curve that draws itself in a notebook while a run trains, from the first steps: the
 * per-step training points the fit loop logs and validation after each epoch (see step-curves.ts),
 * redrawn in place at most every `chartEveryMs` and at every epoch's end; a text line shows
 * progress inside the epoch.
 */
import type { EpochMetrics, StepMetrics } from '../tracking';
import type { BatchProgress } from '../train';
import type { Output } from './display';
import { smoothPoints, StepCurve, stepCurvesSpec, type CurvePoint } from './step-curves';

export interface LiveCurvesOptions {
  /** Chart title, e.g. the run's name. */
  title: string;
  /** Where the chart goes; each redraw replaces it (newOutput()). */
  chart: Output;
  /** Epochs the run trains (the x axis spans them from the first step). */
  epochs: number;
  /** Where the progress line goes (optional). */
  progress?: Output;
  /** Exponential smoothing of the training points, 0 (none, the default) up to 0.99. */
  smoothing?: number;
  /** Minimum milliseconds between chart redraws inside an epoch; default 2000 (each costs ~50 ms). */
  chartEveryMs?: number;
  /** Minimum milliseconds between progress lines; default 500. */
  progressEveryMs?: number;
}

export interface LiveCurves {
  /** Pass as trainAndRecord's onStep. */
  onStep(metrics: StepMetrics): void;
  /** Pass as trainAndRecord's onEpoch. */
  onEpoch(metrics: EpochMetrics): void;
  /** Pass as trainAndRecord's onBatch. */
  onBatch(progress: BatchProgress): void;
  /** Draws the last points and waits for it; rethrows the first drawing error. Await it before the cell ends. */
  flush(): Promise<void>;
  /** The points drawn so far (training stretches and validation). */
  points(): CurvePoint[];
  /** How many times the chart was drawn. */
  draws(): number;
}

/**
 * Live learning curves for one training run.
 * @example
 *   const live = liveLearningCurves({ title: run.name, epochs: spec.train.epochs, chart: newOutput(), progress: newOutput() });
 *   await trainAndRecord({ ..., onStep: live.onStep, onEpoch: live.onEpoch, onBatch: live.onBatch });
 *   await live.flush();
 */
export function liveLearningCurves(options: LiveCurvesOptions): LiveCurves {
  const curve = new StepCurve(options.epochs);
  const smoothing = options.smoothing ?? 0;
  smoothPoints([], smoothing); // checks the weight now rather than at the first draw
  const chartEvery = options.chartEveryMs ?? 2000;
  const progressEvery = options.progressEveryMs ?? 500;
  let drawing: Promise<void> = Promise.resolve();
  let failure: unknown = null;
  let [lastChart, lastProgress, drawn, drawnPoints, pending] = [-Infinity, -Infinity, 0, 0, false];

  // One draw at a time; requests while one runs collapse into a single later draw of the newest points.
  const redraw = () => {
    lastChart = Date.now();
    if (pending) return;
    pending = true;
    drawing = drawing
      .then(async () => {
        pending = false;
        drawnPoints = curve.points.length;
        const spec = stepCurvesSpec(smoothPoints(curve.points, smoothing), { title: options.title, epochs: curve.epochs });
        await options.chart.chart(spec);
        drawn += 1;
      })
      .catch((err) => {
        failure ??= err;
      });
  };
  return {
    onStep: (m) => {
      curve.addStep(m);
      if (Date.now() - lastChart >= chartEvery) redraw();
    },
    onBatch: (p) => {
      const now = Date.now();
      if (options.progress && (now - lastProgress >= progressEvery || p.batch === p.batches)) {
        lastProgress = now;
        options.progress.text(batchLine(p));
      }
    },
    onEpoch: (m) => {
      curve.addEpoch(m);
      options.progress?.text(epochLine(m));
      redraw();
    },
    flush: async () => {
      if (!pending && curve.points.length !== drawnPoints) redraw();
      await drawing;
      if (failure) throw failure;
    },
    points: () => [...curve.points],
    draws: () => drawn,
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
