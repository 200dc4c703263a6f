/** Accuracy against training time: what each run's accuracy cost. */
import type { TopLevelSpec } from 'vega-lite/build/index';
import type { Run } from '../../tracking';
import { bestRun, round, testAccuracy, valAccuracy } from '../runs';
import { runLabels } from './curves';
import { runIndex, SHOWN_FILTER, SHOWN_PARAM } from './select';
import { chartBase } from './theme';

/**
 * One dot per finished run: training seconds (log axis when they span 20x or more) against
 * validation accuracy, coloured by experiment (or model kind within one experiment); the best run
 * is ringed. Null when no run has both numbers.
 */
export function accuracyVsTimeSpec(runs: Run[]): TopLevelSpec | null {
  const timed = runs.filter((run) => run.summary && valAccuracy(run) !== null);
  if (timed.length === 0) return null;
  const labels = runLabels(timed);
  const index = runIndex(runs);
  const best = bestRun(timed);
  const byExperiment = new Set(timed.map((r) => r.experiment)).size > 1;
  const values = timed.map((run) => ({
    r: index.get(run.id),
    run: labels.get(run.id),
    group: byExperiment ? run.experiment : String(run.params['model.kind'] ?? run.spec?.model?.kind ?? run.experiment),
    seconds: round(run.summary!.trainSeconds, 4),
    accuracy: round(valAccuracy(run)!),
    test: testAccuracy(run) === null ? null : round(testAccuracy(run)!),
    epochs: run.summary!.epochs,
    best: run === best,
  }));
  const seconds = values.map((v) => v.seconds).filter((s) => s > 0);
  const log = seconds.length === values.length && Math.max(...seconds) / Math.min(...seconds) >= 20;
  const x = { field: 'seconds', type: 'quantitative' as const, title: 'training time (s)', scale: log ? { type: 'log' as const, padding: 8 } : { zero: false, padding: 8 }, axis: { format: '~s' } };
  const y = { field: 'accuracy', type: 'quantitative' as const, title: 'val accuracy', scale: { zero: false, padding: 8 }, axis: { format: '.3f' } };
  return {
    ...chartBase('Accuracy vs training time', 'one dot per run; the big dot ringed red is the best run by validation accuracy'),
    params: [SHOWN_PARAM],
    data: { values },
    transform: [SHOWN_FILTER],
    width: 380,
    height: 260,
    // One layer: the best run's ring is its own dot's stroke (a layer filtered to the best run would
    // be empty, and warn, whenever the page's selection leaves it out).
    mark: { type: 'point', filled: true, opacity: 0.8, strokeWidth: 2.5 },
    encoding: {
      x,
      y,
      color: { field: 'group', type: 'nominal', title: byExperiment ? 'experiment' : 'model', legend: { symbolLimit: 20 } },
      size: { condition: { test: 'datum.best', value: 160 }, value: 45 },
      stroke: { condition: { test: 'datum.best', value: '#d62728' }, value: null },
      tooltip: [
        { field: 'run', type: 'nominal' },
        { field: 'group', type: 'nominal', title: byExperiment ? 'experiment' : 'model' },
        { field: 'seconds', type: 'quantitative', format: ',.1f', title: 'seconds' },
        { field: 'epochs', type: 'quantitative' },
        { field: 'accuracy', type: 'quantitative', format: '.4f', title: 'val accuracy' },
        { field: 'test', type: 'quantitative', format: '.4f', title: 'test accuracy' },
      ],
    },
  };
}
