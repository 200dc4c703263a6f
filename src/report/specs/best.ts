/** Charts of one run's evaluation: confusion matrix heatmap and per-class precision/recall/F1. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { Evaluation } from '../../train';
import { round } from '../runs';

import { chartBase } from './theme';

/** Rows of a confusion matrix: counts, and each count as a share of its true class. */
export function confusionRows(confusion: number[][]) {
  return confusion.flatMap((row, truth) => {
    const total = row.reduce((a, b) => a + b, 0);
    return row.map((count, predicted) => ({ truth, predicted, count, share: total > 0 ? round(count / total, 4) : 0 }));
  });
}

/**
 * A 10 x 10 heatmap of true (rows) vs predicted (columns) classes with the count in each cell,
 * shaded by the share of the true class so small confusions stay visible.
 * @example confusionMatrixSpec(bestRun(runs)!.test!, 'Test confusion matrix of cnn-3')
 */
export function confusionMatrixSpec(evaluation: Evaluation, title = 'Confusion matrix'): TopLevelSpec {
  const digits = { type: 'ordinal' as const, sort: 'ascending' as const };
  const x = { field: 'predicted', ...digits, title: 'predicted', axis: { orient: 'top' as const, labelAngle: 0 } };
  const y = { field: 'truth', ...digits, title: 'true' };
  return {
    ...chartBase(title, `${evaluation.count.toLocaleString('en-US')} images · colour = share of the true class`),
    data: { values: confusionRows(evaluation.confusion) },
    width: { step: 34 },
    height: { step: 34 },
    encoding: { x, y },
    layer: [
      {
        mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
        encoding: {
          color: {
            condition: { test: 'datum.count === 0', value: '#f7f9fc' },
            field: 'share',
            type: 'quantitative',
            title: 'share of row',
            scale: { scheme: 'blues', type: 'sqrt', domain: [0, 1] },
            legend: { format: '.0%', gradientLength: 200 },
          },
          tooltip: [
            { field: 'truth', type: 'ordinal', title: 'true' },
            { field: 'predicted', type: 'ordinal' },
            { field: 'count', type: 'quantitative' },
            { field: 'share', type: 'quantitative', format: '.2%' },
          ],
        },
      },
      {
        mark: { type: 'text', fontSize: 10 },
        transform: [{ filter: 'datum.count > 0' }],
        encoding: {
          text: { field: 'count', type: 'quantitative' },
          color: { condition: { test: 'datum.share > 0.3', value: 'white' }, value: '#222' },
        },
      },
    ],
  };
}

/**
 * Precision, recall and F1 of each digit as grouped bars. Bars start near the lowest value (stated
 * in the subtitle), not at 0, because well-trained models sit between 0.95 and 1.
 */
export function perClassSpec(evaluation: Evaluation, title = 'Per-class precision, recall and F1'): TopLevelSpec {
  const values = evaluation.perClass.flatMap((c) => [
    { label: c.label, metric: 'precision', value: round(c.precision, 4), support: c.support },
    { label: c.label, metric: 'recall', value: round(c.recall, 4), support: c.support },
    { label: c.label, metric: 'F1', value: round(c.f1, 4), support: c.support },
  ]);
  const lowest = Math.min(...values.map((v) => v.value), 1);
  const floor = Math.max(0, Math.floor((lowest - 0.01) * 50) / 50);
  const { macro } = evaluation;
  return {
    ...chartBase(
      title,
      `macro precision ${macro.precision.toFixed(4)} · recall ${macro.recall.toFixed(4)} · F1 ${macro.f1.toFixed(4)}` +
        (floor > 0 ? ` · y axis starts at ${floor}` : ''),
    ),
    data: { values },
    width: { step: 13 },
    height: 220,
    mark: { type: 'bar', cornerRadiusTopLeft: 1, cornerRadiusTopRight: 1 },
    encoding: {
      x: { field: 'label', type: 'ordinal', title: 'digit', axis: { labelAngle: 0 } },
      xOffset: { field: 'metric', sort: ['precision', 'recall', 'F1'] },
      y: { field: 'value', type: 'quantitative', title: null, scale: { domain: [floor, 1], clamp: true } },
      y2: { datum: floor },
      color: {
        field: 'metric',
        type: 'nominal',
        sort: ['precision', 'recall', 'F1'],
        scale: { range: ['#4c78a8', '#f58518', '#54a24b'] },
        title: null,
        legend: { orient: 'top' },
      },
      tooltip: [
        { field: 'label', type: 'ordinal', title: 'digit' },
        { field: 'metric', type: 'nominal' },
        { field: 'value', type: 'quantitative', format: '.4f' },
        { field: 'support', type: 'quantitative' },
      ],
    },
  };
}
