/** Vega-Lite specs of data-set statistics, in the report's look (see src/report/specs/theme). */
import type { TopLevelSpec } from 'vega-lite/build/index';
import { chartBase } from '../report';
import type { DigitSet } from '../data';
import { classCounts, classIntensity } from './stats';

/**
 * Class balance: each class's share of its split, one bar per split side by side (shares, so a
 * 10,000-image test set compares with a 60,000-image training set; counts are in the tooltip).
 * @example await showChart(classBalanceSpec({ train: mnist.train, test: mnist.test }))
 */
export function classBalanceSpec(splits: Record<string, DigitSet>): TopLevelSpec {
  const values = Object.entries(splits).flatMap(([split, set]) =>
    classCounts(set).map((c) => ({ split, digit: String(c.label), count: c.count, share: c.fraction })),
  );
  return {
    ...chartBase('Class balance', 'share of each split per class'),
    data: { values },
    width: 420,
    height: 220,
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'digit', type: 'nominal', title: 'digit', axis: { labelAngle: 0 } },
      xOffset: { field: 'split', type: 'nominal', sort: Object.keys(splits) },
      y: { field: 'share', type: 'quantitative', title: 'share of split', axis: { format: '.0%' } },
      color: { field: 'split', type: 'nominal', title: 'split', sort: Object.keys(splits) },
      tooltip: [
        { field: 'split', type: 'nominal' },
        { field: 'digit', type: 'nominal' },
        { field: 'count', type: 'quantitative', format: ',' },
        { field: 'share', type: 'quantitative', format: '.2%' },
      ],
    },
  };
}

/**
 * Mean pixel intensity per class (how much ink each digit uses), with the share of inked pixels.
 * @example await showChart(classIntensitySpec(mnist.train))
 */
export function classIntensitySpec(set: DigitSet): TopLevelSpec {
  const values = classIntensity(set).map((c) => ({ digit: String(c.label), meanIntensity: c.meanIntensity, inkFraction: c.inkFraction }));
  return {
    ...chartBase('Ink per class', 'mean pixel intensity (0 = black, 1 = white) over every image of the class'),
    data: { values },
    width: 420,
    height: 200,
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'digit', type: 'nominal', title: 'digit', axis: { labelAngle: 0 } },
      y: { field: 'meanIntensity', type: 'quantitative', title: 'mean intensity' },
      tooltip: [
        { field: 'digit', type: 'nominal' },
        { field: 'meanIntensity', type: 'quantitative', format: '.3f', title: 'mean intensity' },
        { field: 'inkFraction', type: 'quantitative', format: '.1%', title: 'pixels > 0.5' },
      ],
    },
  };
}
