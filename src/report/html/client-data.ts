/**
 * The data the page's script works with, besides the compiled charts: each evaluated run's test
 * confusion matrix (to redraw the confusion charts for the runs a reader ticks) and, for the runs
 * whose predictions were loaded, their misclassified test images (a confusion cell's click shows them).
 */
import type { Run } from '../../tracking';
import { comparedRuns } from '../charts';
import { digitPngBase64, listMistakes } from '../mistakes';
import type { ReportData } from '../types';

/** Mistakes kept per run (most confident first) and distinct digit pictures in one page at most. */
export const MISTAKES_PER_RUN = 200;
export const MAX_PICTURES = 800;

export interface ClientRuns {
  /** Every run's id, in the order of the runs the charts were built from: rows' `r` indexes it. */
  ids: string[];
  /** Evaluated runs: id, name and the test confusion matrix flattened row by row (100 counts). */
  runs: { id: string; name: string; confusion: number[] }[];
  /** The runs the confusion charts were drawn for: A (best by validation) and B (runner-up). */
  a: string | null;
  b: string | null;
  mistakes: {
    /** Base64 PNG of each pictured test image, by test-set index. */
    images: Record<number, string>;
    /** Per run: [index, true label, predicted, probability in ‰] repeated, most confident first. */
    byRun: Record<string, number[]>;
  };
}

/** The confusion matrices and mistakes of `data` for the page's script. */
export function clientRuns(data: ReportData): ClientRuns {
  const { a, b } = comparedRuns(data.runs);
  const evaluated = data.runs.filter((run): run is Run & { test: NonNullable<Run['test']> } => run.test !== null);
  const images: Record<number, string> = {};
  let pictures = 0;
  const byRun: Record<string, number[]> = {};
  for (const [id, predictions] of data.predictions ?? new Map()) {
    const flat: number[] = [];
    for (const m of listMistakes(predictions).slice(0, MISTAKES_PER_RUN)) {
      flat.push(m.index, m.label, m.predicted, Math.round(m.probability * 1000));
      if (predictions.images && !(m.index in images) && pictures < MAX_PICTURES && (m.index + 1) * 784 <= predictions.images.length) {
        images[m.index] = digitPngBase64(predictions.images, m.index);
        pictures += 1;
      }
    }
    byRun[id] = flat;
  }
  return {
    ids: data.runs.map((run) => run.id),
    runs: evaluated.map((run) => ({ id: run.id, name: run.name, confusion: run.test.confusion.flat() })),
    a: a?.id ?? null,
    b: b?.id ?? null,
    mistakes: { images, byRun },
  };
}
