/** The final metric per config: runs that differ only in seed are one config, shown as mean ± std. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { Run } from '../../tracking';
import { configGroups, round, testAccuracy, valAccuracy } from '../runs';
import { runLabels } from './curves';
import { runIndex, SHOWN_FILTER, SHOWN_PARAM } from './select';
import { chartBase } from './theme';

export interface ConfigMetricOptions {
  /** Which accuracy to show; default 'validation' (the test set is for reporting, not choosing). */
  metric?: 'validation' | 'test';
  /** Show at most this many configs, best mean first; default 40. */
  limit?: number;
}

export interface ConfigStat {
  config: string;
  mean: number;
  std: number; // sample standard deviation over seeds; 0 for a single run
  lo: number;
  hi: number;
  n: number;
}

/** Mean, sample standard deviation and count of each config's metric, best mean first. */
export function configStats(runs: Run[], metric: 'validation' | 'test' = 'validation'): ConfigStat[] {
  const score = metric === 'test' ? testAccuracy : valAccuracy;
  const scored = runs.filter((run) => score(run) !== null);
  return configGroups(scored)
    .map((group) => {
      const values = group.runs.map((run) => score(run)!);
      const n = values.length;
      const mean = values.reduce((a, b) => a + b, 0) / n;
      const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
      return { config: group.label, mean: round(mean), std: round(std), lo: round(mean - std), hi: round(mean + std), n };
    })
    .sort((a, b) => b.mean - a.mean);
}

/**
 * One row per config: the mean accuracy over seeds (dot), ± one standard deviation (bar) and each
 * seed's run (small grey dots). Returns null when no run has the metric.
 */
export function configMetricSpec(runs: Run[], options: ConfigMetricOptions = {}): TopLevelSpec | null {
  const metric = options.metric ?? 'validation';
  const all = configStats(runs, metric);
  if (all.length === 0) return null;
  const stats = all.slice(0, options.limit ?? 40);
  const shown = new Set(stats.map((s) => s.config));
  const score = metric === 'test' ? testAccuracy : valAccuracy;
  const labels = runLabels(runs);
  const index = runIndex(runs);
  const points = configGroups(runs.filter((run) => score(run) !== null)).flatMap((group) =>
    shown.has(group.label) ? group.runs.map((run) => ({ config: group.label, r: index.get(run.id), run: labels.get(run.id), value: round(score(run)!) })) : [],
  );
  const order = stats.map((s) => s.config);
  const y = { field: 'config', type: 'nominal' as const, title: null, sort: order, axis: { labelLimit: 260 } };
  const title = `${metric === 'test' ? 'Test' : 'Validation'} accuracy per config`;
  const more = all.length > stats.length ? ` · best ${stats.length} of ${all.length} configs` : '';
  // Mean and spread are computed in the chart from the runs shown, so they follow the page's selection.
  const perConfig = [
    {
      aggregate: [
        { op: 'mean' as const, field: 'value', as: 'mean' },
        { op: 'stdev' as const, field: 'value', as: 'sd' },
        { op: 'count' as const, as: 'n' },
      ],
      groupby: ['config'],
    },
    { calculate: 'isValid(datum.sd) ? datum.sd : 0', as: 'std' },
    { calculate: 'datum.mean - datum.std', as: 'lo' },
    { calculate: 'datum.mean + datum.std', as: 'hi' },
  ];
  return {
    ...chartBase(title, `mean ± 1 std over seeds; grey dots are single runs${more}`),
    params: [SHOWN_PARAM],
    data: { values: points },
    transform: [SHOWN_FILTER],
    width: 360,
    height: { step: 22 },
    layer: [
      {
        transform: perConfig,
        mark: { type: 'rule', strokeWidth: 2.5, color: '#9ab7d8' },
        encoding: { y, x: { field: 'lo', type: 'quantitative', title: 'accuracy', scale: { zero: false, padding: 8 }, axis: { tickCount: 6, format: '.3f' } }, x2: { field: 'hi' } },
      },
      {
        mark: { type: 'point', filled: true, size: 28, color: '#888', opacity: 0.55 },
        encoding: {
          y,
          x: { field: 'value', type: 'quantitative' },
          tooltip: [{ field: 'run', type: 'nominal' }, { field: 'value', type: 'quantitative', title: 'accuracy', format: '.4f' }],
        },
      },
      {
        transform: perConfig,
        mark: { type: 'point', filled: true, size: 80, color: '#1f5fa8' },
        encoding: {
          y,
          x: { field: 'mean', type: 'quantitative' },
          tooltip: [
            { field: 'config', type: 'nominal' },
            { field: 'mean', type: 'quantitative', format: '.4f' },
            { field: 'std', type: 'quantitative', format: '.4f' },
            { field: 'n', type: 'quantitative', title: 'runs' },
          ],
        },
      },
    ],
  };
}
