/**
 * A learning curve from the first steps: the training loss and accuracy of each stretch of steps
 * that the fit loop logs (train/steps.ts, the same points the store keeps) and validation at the end
 * of each epoch, drawn against the epoch (fractional: 0.5 is half-way through the first), so a
 * one-epoch run has a curve.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { chartBase } from '../report';
import type { EpochMetrics, Run, StepMetrics, TrackingStore } from '../tracking';

/** One point of the curve: `epoch` is fractional for training stretches, whole for validation. */
export interface CurvePoint {
  split: 'train' | 'validation';
  /** The run's name when a chart holds several runs. */
  run?: string;
  epoch: number;
  step: number; // optimizer steps since the run started
  loss: number;
  accuracy: number;
}

/**
 * Collects the curve from trainAndRecord's onStep and onEpoch.
 * @example const curve = new StepCurve(2); ... onStep: (m) => curve.addStep(m), onEpoch: (m) => curve.addEpoch(m)
 */
export class StepCurve {
  readonly points: CurvePoint[] = [];
  private lastStep = 0;

  /** @param epochs the run's length, so the axis spans the whole run from the first point */
  constructor(public epochs: number) {}

  addStep(m: StepMetrics): void {
    this.lastStep = m.step;
    this.points.push({ split: 'train', epoch: m.epoch, step: m.step, loss: m.loss, accuracy: m.accuracy });
  }

  /** Adds the epoch's validation point (at the last step logged). */
  addEpoch(m: EpochMetrics): void {
    this.points.push({ split: 'validation', epoch: m.epoch, step: this.lastStep, loss: m.valLoss, accuracy: m.valAccuracy });
  }
}

/**
 * Exponential moving average of the training points (TensorBoard's smoothing: weight on the
 * previous value, bias-corrected so the first points are not pulled toward 0); validation as is.
 */
export function smoothPoints(points: CurvePoint[], weight: number): CurvePoint[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing must be from 0 up to (not including) 1, got ${weight}`);
  if (weight === 0) return points;
  const state = new Map<string, { loss: number; accuracy: number; n: number }>(); // per run
  return points.map((p) => {
    if (p.split !== 'train') return p;
    const s = state.get(p.run ?? '') ?? { loss: 0, accuracy: 0, n: 0 };
    s.n += 1;
    s.loss = weight * s.loss + (1 - weight) * p.loss;
    s.accuracy = weight * s.accuracy + (1 - weight) * p.accuracy;
    state.set(p.run ?? '', s);
    const debias = 1 - weight ** s.n;
    return { ...p, loss: s.loss / debias, accuracy: s.accuracy / debias };
  });
}

/**
 * The curves of recorded runs as the store keeps them: their step points and each epoch's validation.
 * @example await showChart(stepCurvesSpec(storedCurvePoints(store, runs), { title: 'grid', epochs: 2 }))
 */
export function storedCurvePoints(store: TrackingStore, runs: Run[]): CurvePoint[] {
  return runs.flatMap((run) => {
    const train = store.steps(run.id).map((m): CurvePoint => ({ split: 'train', run: run.name, epoch: m.epoch, step: m.step, loss: m.loss, accuracy: m.accuracy }));
    const stepsPerEpoch = train.length ? train[train.length - 1].step / train[train.length - 1].epoch : 0;
    const validation = store.history(run.id).map((m): CurvePoint => ({
      split: 'validation', run: run.name, epoch: m.epoch, step: Math.round(m.epoch * stepsPerEpoch), loss: m.valLoss, accuracy: m.valAccuracy,
    }));
    return [...train, ...validation];
  });
}

/**
 * Loss and accuracy side by side: training stretches as a line, validation as dots joined by a
 * dashed line, the x axis spanning the whole run from the first step. One run is coloured by
 * split; several (points with `run`) by run.
 * @example await showChart(stepCurvesSpec(curve.points, { title: 'cnn', epochs: 2 }))
 */
export function stepCurvesSpec(points: CurvePoint[], options: { title: string; epochs: number; subtitle?: string }): TopLevelSpec {
  const runs = [...new Set(points.map((p) => p.run ?? ''))];
  const byRun = runs.length > 1;
  const values = points.flatMap((p) => [
    { split: p.split, run: p.run ?? '', epoch: p.epoch, step: p.step, metric: 'loss', value: p.loss },
    { split: p.split, run: p.run ?? '', epoch: p.epoch, step: p.step, metric: 'accuracy', value: p.accuracy },
  ]);
  const encoding = {
    x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', scale: { domain: [0, Math.max(1, options.epochs)], nice: false }, axis: { tickMinStep: 0.5 } },
    y: { field: 'value', type: 'quantitative' as const, title: null, scale: { zero: false } },
    color: byRun
      ? { field: 'run', type: 'nominal' as const, title: 'run', scale: { domain: runs } }
      : { field: 'split', type: 'nominal' as const, title: null, scale: { domain: ['train', 'validation'] } },
    tooltip: [
      ...(byRun ? [{ field: 'run', type: 'nominal' as const }] : []),
      { field: 'split', type: 'nominal' as const },
      { field: 'step', type: 'quantitative' as const },
      { field: 'epoch', type: 'quantitative' as const, format: '.2f' },
      { field: 'value', type: 'quantitative' as const, format: '.4f' },
    ],
  };
  return {
    ...chartBase(options.title, options.subtitle ?? 'training: mean of each stretch of steps · validation (dots, dashed): after each epoch'),
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', sort: ['loss', 'accuracy'], title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 260,
      height: 170,
      layer: [
        { transform: [{ filter: "datum.split === 'train'" }], mark: { type: 'line', strokeWidth: 1.5 }, encoding },
        {
          transform: [{ filter: "datum.split === 'validation'" }],
          mark: { type: 'line', strokeWidth: 1.5, strokeDash: [4, 3], point: { filled: true, size: 40 } },
          encoding,
        },
      ],
    },
  };
}
