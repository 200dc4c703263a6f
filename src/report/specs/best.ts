/**
 * Charts of one run's test evaluation, and of two runs against each other: the confusion matrix,
 * the difference of two confusion matrices, and per-class precision/recall/F1. Their data sets are
 * named (`cells`, `classes`) so the report page can swap in the runs a reader selects; the page's
 * script builds the same rows (html/client-data.ts) from the runs' matrices.
 */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { Evaluation } from '../../train';
import { round } from '../runs';
import { chartBase } from './theme';

/** Rows of a confusion matrix: counts, each count's share of its true class, and whether it is the diagonal. */
export function confusionRows(confusion: number[][]) {
  return confusion.flatMap((row, truth) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, predicted) => ({ truth, predicted, count, share: total > 0 ? round(count / total, 4) : 0, diagonal: truth === predicted }));
  });
}

/**
 * Rows of the difference B − A of two confusion matrices; `gain` is the change in the right
 * direction (more on the diagonal, fewer off it), which the colour shows.
 */
export function confusionDiffRows(a: number[][], b: number[][]) {
  return a.flatMap((row, truth) =>
    row.map((countA, predicted) => {
      const diff = b[truth][predicted] - countA;
      return { truth, predicted, a: countA, b: b[truth][predicted], diff, gain: truth === predicted ? diff : -diff, diagonal: truth === predicted };
    }),
  );
}

/**
 * A title the report page can change (`retitle`: its text is the `caption` signal, which the page
 * sets when other runs are compared), else plain text, which notebooks and their text fallback read.
 */
function titled(text: string, subtitle: string, retitle: boolean) {
  return retitle
    ? { params: [{ name: 'caption', value: text }], title: { text: { expr: 'caption' }, subtitle } }
    : { title: { text, subtitle } };
}

/** Options of the charts the report page redraws for other runs. */
export interface CompareChartOptions {
  /** Title from a `caption` signal the page sets (default false: a plain title). */
  retitle?: boolean;
}

const digits = { type: 'ordinal' as const, sort: 'ascending' as const };
const axes = {
  x: { field: 'predicted', ...digits, title: 'predicted', axis: { orient: 'top' as const, labelAngle: 0 } },
  y: { field: 'truth', ...digits, title: 'true' },
};

/**
 * A 10 x 10 heatmap of true (rows) vs predicted (columns) classes with the count in each cell.
 * The diagonal (right answers) is grey; errors are coloured by their count on a log scale, so a
 * confusion of 3 stands apart from one of 30. Clicking a cell shows those mistakes in the page.
 * @example confusionMatrixSpec(bestRun(runs)!.test!, 'Test confusion matrix of cnn-3')
 */
export function confusionMatrixSpec(evaluation: Evaluation, title = 'Confusion matrix', options: CompareChartOptions = {}): TopLevelSpec {
  const rows = confusionRows(evaluation.confusion);
  const subtitle = `${evaluation.count.toLocaleString('en-US')} test images · errors coloured by count (log) · click a cell`;
  return {
    ...chartBase(title),
    ...titled(title, subtitle, options.retitle ?? false),
    data: { name: 'cells', values: rows },
    width: { step: 34 },
    height: { step: 34 },
    encoding: axes,
    layer: [
      { mark: { type: 'rect', stroke: 'white', strokeWidth: 1, color: '#f7f9fc' } },
      {
        transform: [{ filter: 'datum.diagonal' }],
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1, color: '#dfe5ec', cursor: 'pointer' },
        encoding: { tooltip: cellTooltip },
      },
      {
        transform: [{ filter: '!datum.diagonal && datum.count > 0' }],
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1, cursor: 'pointer' },
        encoding: {
          color: {
            field: 'count',
            type: 'quantitative',
            title: 'errors',
            // No fixed domain: the page swaps in other runs' matrices, whose errors reach further.
            scale: { type: 'log', scheme: 'orangered' },
            legend: { format: '~d', gradientLength: 200, tickCount: 4 },
          },
          tooltip: cellTooltip,
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        transform: [{ filter: 'datum.count > 0' }],
        encoding: { text: { field: 'count', type: 'quantitative' }, color: { value: '#222' } },
      },
    ],
  } as TopLevelSpec;
}

const cellTooltip = [
  { field: 'truth', type: 'ordinal' as const, title: 'true' },
  { field: 'predicted', type: 'ordinal' as const },
  { field: 'count', type: 'quantitative' as const },
  { field: 'share', type: 'quantitative' as const, format: '.2%', title: 'share of true class' },
];

/**
 * The difference B − A of two runs' test confusion matrices: each cell shows the change in count;
 * blue where B does better (more right answers on the diagonal, fewer errors off it), red where it
 * does worse, on a symmetric log scale.
 * @example confusionDiffSpec(a.test!, b.test!, a.name, b.name)
 */
export function confusionDiffSpec(a: Evaluation, b: Evaluation, nameA: string, nameB: string, options: CompareChartOptions = {}): TopLevelSpec {
  const rows = confusionDiffRows(a.confusion, b.confusion);
  return {
    ...chartBase('Confusion difference'),
    ...titled(diffCaption(nameA, nameB), 'count of B − count of A · blue: B better, red: B worse · click a cell', options.retitle ?? false),
    data: { name: 'cells', values: rows },
    width: { step: 34 },
    height: { step: 34 },
    encoding: axes,
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1, cursor: 'pointer' },
        encoding: {
          color: {
            condition: { test: 'datum.diff === 0', value: '#f7f9fc' },
            field: 'gain',
            type: 'quantitative',
            title: 'B better →',
            scale: { type: 'symlog', scheme: 'redblue', domainMid: 0 },
            legend: { format: '~d', gradientLength: 200, tickCount: 5 },
          },
          tooltip: [
            { field: 'truth', type: 'ordinal', title: 'true' },
            { field: 'predicted', type: 'ordinal' },
            { field: 'a', type: 'quantitative', title: 'count A' },
            { field: 'b', type: 'quantitative', title: 'count B' },
            { field: 'diff', type: 'quantitative', title: 'B − A' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        transform: [{ filter: 'datum.diff !== 0' }, { calculate: "(datum.diff > 0 ? '+' : '') + datum.diff", as: 'label' }],
        encoding: { text: { field: 'label', type: 'nominal' }, color: { value: '#222' } },
      },
    ],
  } as TopLevelSpec;
}

/** The difference chart's title for runs named `a` and `b` (the page retitles it the same way). */
export function diffCaption(a: string, b: string): string {
  return `B − A · B = ${b} · A = ${a}`;
}

/** Rows of the per-class chart: precision, recall and F1 of each digit. */
export function perClassRows(evaluation: Evaluation) {
  return evaluation.perClass.flatMap((c) => [
    { label: c.label, metric: 'precision', value: round(c.precision, 4), support: c.support },
    { label: c.label, metric: 'recall', value: round(c.recall, 4), support: c.support },
    { label: c.label, metric: 'F1', value: round(c.f1, 4), support: c.support },
  ]);
}

/**
 * Precision, recall and F1 of each digit as dots on an axis fitted to the values (no bar whose
 * length would depend on where the axis starts, and none clipped by it).
 */
export function perClassSpec(evaluation: Evaluation, title = 'Per-class precision, recall and F1', options: CompareChartOptions = {}): TopLevelSpec {
  const { macro } = evaluation;
  const metricOrder = ['precision', 'recall', 'F1'];
  const caption = `${title} · macro F1 ${macro.f1.toFixed(4)}`;
  return {
    ...chartBase(title),
    ...titled(caption, 'test set · the axis fits the values: compare positions', options.retitle ?? false),
    data: { name: 'classes', values: perClassRows(evaluation) },
    width: 360,
    height: 220,
    encoding: {
      x: { field: 'label', type: 'ordinal', title: 'digit', axis: { labelAngle: 0 } },
      y: { field: 'value', type: 'quantitative', title: null, scale: { zero: false, padding: 6 }, axis: { format: '.3f', tickCount: 6 } },
    },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 55, opacity: 0.9 },
        encoding: {
          xOffset: { field: 'metric', sort: metricOrder, scale: { paddingOuter: 0.6 } },
          color: { field: 'metric', type: 'nominal', sort: metricOrder, scale: { domain: metricOrder, range: ['#4c78a8', '#f58518', '#54a24b'] }, title: null, legend: { orient: 'top' } },
          shape: { field: 'metric', type: 'nominal', sort: metricOrder, scale: { domain: metricOrder, range: ['circle', 'square', 'diamond'] }, title: null, legend: { orient: 'top' } },
          tooltip: [
            { field: 'label', type: 'ordinal', title: 'digit' },
            { field: 'metric', type: 'nominal' },
            { field: 'value', type: 'quantitative', format: '.4f' },
            { field: 'support', type: 'quantitative' },
          ],
        },
      },
    ],
  } as TopLevelSpec;
}
