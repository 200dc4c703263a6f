/**
 * A learning curve from the first steps: training loss and accuracy over every `k` batches, taken
 * from the fit loop's per-batch progress, and validation at the end of each epoch; drawn against
 * the epoch (fractional: 0.5 is half-way through the first), so a one-epoch run has a curve.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { chartBase } from '../report/specs/theme';
import type { BatchProgress } from '../train/options';
import type { EpochMetrics } from '../train/types';

/** One point of the curve: `epoch` is fractional for training windows, whole for validation. */
export interface CurvePoint {
  split: 'train' | 'validation';
  epoch: number;
  step: number; // batches since the run started
  loss: number;
  accuracy: number;
}

/** Default window: about 20 training points per epoch. */
export function defaultEverySteps(batchesPerEpoch: number): number {
  return Math.max(1, Math.ceil(batchesPerEpoch / 20));
}

/**
 * Collects the curve. The fit loop reports running means of the epoch (weighted by images); the
 * mean over the last window is recovered exactly from two of them: (m_b n_b - m_a n_a) / (n_b - n_a).
 * @example const curve = new StepCurve(); ... onBatch: (p) => curve.addBatch(p), onEpoch: (m) => curve.addEpoch(m)
 */
export class StepCurve {
  readonly points: CurvePoint[] = [];
  epochs = 0;
  private mark = { epoch: 0, batch: 0, images: 0, loss: 0, correct: 0 };
  private batches = 0;

  /** @param everySteps batches per training point (default: defaultEverySteps of the epoch's batches) */
  constructor(private readonly everySteps?: number) {
    if (everySteps !== undefined && !(Number.isInteger(everySteps) && everySteps >= 1)) {
      throw new RangeError(`StepCurve: everySteps must be a whole number >= 1, got ${everySteps}`);
    }
  }

  /** Adds a training point when a window is complete (and at the end of the epoch); true when it did. */
  addBatch(p: BatchProgress): boolean {
    this.epochs = p.epochs;
    this.batches = p.batches;
    if (p.epoch !== this.mark.epoch || p.batch <= this.mark.batch) this.mark = { epoch: p.epoch, batch: 0, images: 0, loss: 0, correct: 0 };
    const every = this.everySteps ?? defaultEverySteps(p.batches);
    if (p.batch - this.mark.batch < every && p.batch < p.batches) return false;
    const [loss, correct] = [p.loss * p.images, p.accuracy * p.images];
    const images = p.images - this.mark.images;
    if (images <= 0) return false;
    this.points.push({
      split: 'train',
      epoch: p.epoch - 1 + p.batch / p.batches,
      step: (p.epoch - 1) * p.batches + p.batch,
      loss: (loss - this.mark.loss) / images,
      accuracy: (correct - this.mark.correct) / images,
    });
    this.mark = { epoch: p.epoch, batch: p.batch, images: p.images, loss, correct };
    return true;
  }

  /** Adds the epoch's validation point. */
  addEpoch(m: EpochMetrics): void {
    this.points.push({ split: 'validation', epoch: m.epoch, step: m.epoch * this.batches, loss: m.valLoss, accuracy: m.valAccuracy });
  }
}

/**
 * Exponential moving average of the training points (TensorBoard's smoothing: weight on the
 * previous value, bias-corrected so the first points are not pulled toward 0); validation as is.
 */
export function smoothPoints(points: CurvePoint[], weight: number): CurvePoint[] {
  if (!(weight >= 0 && weight < 1)) throw new RangeError(`smoothing must be from 0 up to (not including) 1, got ${weight}`);
  if (weight === 0) return points;
  let [loss, accuracy, n] = [0, 0, 0];
  return points.map((p) => {
    if (p.split !== 'train') return p;
    n += 1;
    loss = weight * loss + (1 - weight) * p.loss;
    accuracy = weight * accuracy + (1 - weight) * p.accuracy;
    const debias = 1 - weight ** n;
    return { ...p, loss: loss / debias, accuracy: accuracy / debias };
  });
}

/**
 * Loss and accuracy side by side, training windows as a line and validation as dots joined up,
 * the x axis spanning the whole run from the first step.
 * @example await showChart(stepCurvesSpec(curve.points, { title: 'cnn', epochs: 2 }))
 */
export function stepCurvesSpec(points: CurvePoint[], options: { title: string; epochs: number; subtitle?: string }): TopLevelSpec {
  const values = points.flatMap((p) => [
    { split: p.split, epoch: p.epoch, step: p.step, metric: 'loss', value: p.loss },
    { split: p.split, epoch: p.epoch, step: p.step, metric: 'accuracy', value: p.accuracy },
  ]);
  const encoding = {
    x: { field: 'epoch', type: 'quantitative' as const, title: 'epoch', scale: { domain: [0, Math.max(1, options.epochs)], nice: false }, axis: { tickMinStep: 0.5 } },
    y: { field: 'value', type: 'quantitative' as const, title: null, scale: { zero: false } },
    color: { field: 'split', type: 'nominal' as const, title: null, scale: { domain: ['train', 'validation'] } },
    tooltip: [
      { field: 'split', type: 'nominal' as const },
      { field: 'step', type: 'quantitative' as const },
      { field: 'epoch', type: 'quantitative' as const, format: '.2f' },
      { field: 'value', type: 'quantitative' as const, format: '.4f' },
    ],
  };
  return {
    ...chartBase(options.title, options.subtitle ?? 'training: mean over each window of steps · validation: after each epoch'),
    data: { values },
    facet: { column: { field: 'metric', type: 'nominal', sort: ['loss', 'accuracy'], title: null } },
    resolve: { scale: { y: 'independent' } },
    spec: {
      width: 260,
      height: 170,
      layer: [
        { mark: { type: 'line', strokeWidth: 1.5 }, encoding },
        { transform: [{ filter: "datum.split === 'validation'" }], mark: { type: 'point', filled: true, size: 40 }, encoding },
      ],
    },
  };
}
