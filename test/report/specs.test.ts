import { strict as assert } from 'node:assert';
import type { TopLevelSpec } from 'vega-lite/build/index';
import { reportCharts } from '../../src/report/charts';
import { confusionDiffRows, confusionDiffSpec, confusionMatrixSpec, confusionRows, perClassSpec } from '../../src/report/specs/best';
import { stepCurvesSpec, stepRows } from '../../src/report/specs/steps';
import { configMetricSpec, configStats } from '../../src/report/specs/configs';
import { curveRows, DEFAULT_MAX_CURVES, learningCurvesSpec } from '../../src/report/specs/curves';
import { paramAxes } from '../../src/report/specs/axes';
import { MAX_PARAMS, paramEffectsSpec, parallelCoordinatesSpec } from '../../src/report/specs/params';
import { accuracyVsTimeSpec } from '../../src/report/specs/time';
import { vegaLibraries } from '../../src/report/vega';
import { fakeGrid, fakeSteps, history, prng } from './fixtures';

/** Compiles a spec to Vega, failing on any warning or error Vega-Lite logs. */
async function compileStrict(spec: TopLevelSpec) {
  const { vl } = await vegaLibraries();
  const problems: string[] = [];
  const note = (...args: unknown[]) => problems.push(args.join(' '));
  const logger = { level: () => logger, warn: note, error: note, info: () => logger, debug: () => logger } as never;
  const compiled = vl.compile(spec, { logger });
  assert.deepEqual(problems, [], 'Vega-Lite warnings');
  return compiled.spec;
}

/** The inline data values of a Vega spec's datasets, by dataset name. */
function dataValues(vega: { data?: { name: string; values?: unknown[] }[] }, name: string): unknown[] {
  return vega.data?.find((d) => d.name === name)?.values ?? [];
}

describe('report/specs', () => {
  const grid = fakeGrid({ count: 16, epochs: 6 });

  describe('every chart', () => {
    it('compiles to Vega without a warning', async () => {
      const charts = reportCharts({ ...grid, steps: fakeSteps(grid) });
      assert.deepEqual(charts.map((c) => c.id), [
        'loss-epochs',
        'accuracy-epochs',
        'loss-steps',
        'accuracy-steps',
        'config-accuracy',
        'param-effects',
        'parallel-coordinates',
        'accuracy-vs-time',
        'confusion',
        'confusion-diff',
        'per-class',
      ]);
      for (const chart of charts) await compileStrict(chart.spec);
    });

    it('gives every chart of runs the `shown` param the page sets to follow the selection', async () => {
      for (const chart of reportCharts({ ...grid, steps: fakeSteps(grid) })) {
        if (['confusion', 'confusion-diff', 'per-class'].includes(chart.id)) continue;
        const vega = (await compileStrict(chart.spec)) as { signals?: { name: string }[] };
        assert.ok(vega.signals?.some((sig) => sig.name === 'shown'), chart.id);
      }
    });

    it('leaves out charts without data', () => {
      const one = fakeGrid({ count: 1, failed: 0 });
      const ids = reportCharts({ runs: one.runs, histories: new Map() }).map((c) => c.id);
      assert.deepEqual(ids, ['config-accuracy', 'accuracy-vs-time', 'confusion', 'per-class']);
    });
  });

  describe('learningCurvesSpec', () => {
    it('has hover and legend-bound click selections, in two panels or one', async () => {
      const spec = learningCurvesSpec(grid.runs, grid.histories) as { spec: { layer: { params?: { name: string; bind?: string }[] }[] } };
      assert.deepEqual(spec.spec.layer[0].params!.map((p) => [p.name, p.bind ?? null]), [['hover', null], ['pick', 'legend']]);
      await compileStrict(spec as unknown as TopLevelSpec);
      const one = learningCurvesSpec(grid.runs, grid.histories, { metric: 'loss' }) as unknown as { facet?: unknown; transform: { fold?: string[] }[] };
      assert.equal(one.facet, undefined);
      assert.deepEqual(one.transform.find((t) => t.fold)!.fold, ['loss', 'valLoss']);
      await compileStrict(one as unknown as TopLevelSpec);
    });

    it('draws a one-epoch run as a dot', async () => {
      const runs = grid.runs.slice(0, 2);
      const histories = new Map([[runs[0].id, history(0.9, 1, prng(1))], [runs[1].id, history(0.9, 4, prng(2))]]);
      const vega = JSON.stringify(await compileStrict(learningCurvesSpec(runs, histories, { metric: 'accuracy' })));
      assert.match(vega, /datum\.n === 1/);
      assert.match(vega, /"type":"symbol"/);
    });

    it('draws the DEFAULT_MAX_CURVES best runs by validation accuracy, or maxRuns', () => {
      const many = fakeGrid({ count: 70, epochs: 3, failed: 0 });
      type Curves = { title: { text: string }; transform: { from?: { data: { values: { run: string }[] } } }[] };
      const drawn = (spec: TopLevelSpec) => (spec as unknown as Curves).transform[0].from!.data.values.length;
      const byDefault = learningCurvesSpec(many.runs, many.histories);
      assert.equal(drawn(byDefault), DEFAULT_MAX_CURVES);
      assert.match((byDefault as unknown as Curves).title.text, new RegExp(`the ${DEFAULT_MAX_CURVES} best of 70 runs`));
      const best = [...many.runs].sort((a, b) => (b.validation?.accuracy ?? 0) - (a.validation?.accuracy ?? 0))[0];
      const labels = (byDefault as unknown as Curves).transform[0].from!.data.values.map((v) => v.run);
      assert.ok(labels.some((l) => l.includes(best.name)), 'the best run is among them');
      assert.equal(drawn(learningCurvesSpec(many.runs, many.histories, { maxRuns: 70 })), 70);
    });

    it('keeps at most maxEpochs epochs per run, first and last included', () => {
      const long = new Map([[grid.runs[0].id, history(0.99, 1000, prng(3))]]);
      const rows = curveRows([grid.runs[0]], long, 50);
      assert.equal(rows.length, 50);
      assert.deepEqual([rows[0].epoch, rows[49].epoch], [1, 1000]);
    });
  });

  describe('configStats', () => {
    it('gives mean and sample std over the seeds of a config', () => {
      const runs = grid.runs.slice(0, 2); // one config, seeds 1 and 2
      const [a, b] = runs.map((r) => r.validation!.accuracy);
      const [stat] = configStats(runs);
      assert.equal(stat.n, 2);
      assert.ok(Math.abs(stat.mean - (a + b) / 2) < 1e-5);
      assert.ok(Math.abs(stat.std - Math.abs(a - b) / Math.SQRT2) < 1e-5);
    });

    it('sorts configs best first and shows at most `limit`', async () => {
      const stats = configStats(grid.runs);
      assert.equal(stats.length, 8);
      assert.ok(stats.every((s, i) => i === 0 || s.mean <= stats[i - 1].mean));
      const vega = await compileStrict(configMetricSpec(grid.runs, { limit: 3 })!);
      assert.deepEqual(
        [...new Set(dataValues(vega as never, 'source_0').map((d) => (d as { config: string }).config))].sort(),
        stats.slice(0, 3).map((s) => s.config).sort(),
      );
    });
  });

  describe('paramAxes', () => {
    it('uses a log axis for positive numbers spread 50x, categories for strings', () => {
      const finished = grid.runs.filter((r) => r.status === 'finished');
      const axes = paramAxes(finished, ['train.optimizer.learningRate', 'model.blocks.0.filters', 'train.optimizer.name']);
      assert.deepEqual(axes.map((a) => [a.name, a.kind]), [
        ['learningRate', 'log'],
        ['filters', 'linear'],
        ['optimizer.name', 'category'],
      ]);
      assert.equal(axes[0].position(0.001), -3);
      assert.deepEqual(axes[0].ticks.map((t) => t.text), ['0.0003', '0.001', '0.01', '0.03']);
    });
  });

  describe('paramEffectsSpec', () => {
    it('labels a log axis 0.0001 … 1000 as plain numbers, never "1,000.000000"', async () => {
      const runs = grid.runs.filter((r) => r.status === 'finished').map((r, i) => ({ ...r, params: { ...r.params, 'model.units': [8, 64, 1000][i % 3] } }));
      const { vega } = await vegaLibraries();
      const view = new vega.View(vega.parse(await compileStrict(paramEffectsSpec(runs)!)), { renderer: 'none' });
      const svg = await view.toSVG();
      view.finalize();
      const labels = [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
      assert.ok(labels.includes('1000') && labels.includes('0.001'), labels.join(' | '));
      assert.deepEqual(labels.filter((l) => /,\d{3}|\.\d*0{4,}|e-/.test(l)), []);
    });
  });

  describe('parallelCoordinatesSpec', () => {
    it('folds one row per run into normalised axes', async () => {
      const spec = parallelCoordinatesSpec(grid.runs)!;
      const layer = (spec as { layer: { transform?: { fold?: string[] }[] }[] }).layer[1];
      assert.deepEqual(layer.transform?.[0].fold, ['a0', 'a1', 'accuracy']);
      await compileStrict(spec);
    });

    it('shows at most MAX_PARAMS params when a mixed grid varies many', async () => {
      const many = grid.runs.filter((r) => r.status === 'finished').map((r, i) => ({
        ...r,
        params: { ...r.params, ...Object.fromEntries(Array.from({ length: 12 }, (_, k) => [`extra.p${k}`, (i + k) % 3])) },
      }));
      const spec = parallelCoordinatesSpec(many) as { title: { subtitle: string }; layer: { transform?: { fold?: string[] }[] }[] };
      assert.equal(spec.layer[1].transform?.[0].fold?.length, MAX_PARAMS + 1);
      assert.match(spec.title.subtitle, new RegExp(`the first ${MAX_PARAMS} of 14 varied params`));
      const effects = paramEffectsSpec(many) as { concat: unknown[] };
      assert.equal(effects.concat.length, MAX_PARAMS);
      await compileStrict(spec as TopLevelSpec);
    });

    it('puts a missing value below its axis, labelled "missing", not at the height of a real one', async () => {
      const runs = grid.runs.filter((r) => r.status === 'finished').map((r, i) => ({ ...r, params: { ...r.params, 'model.units': i % 2 ? 128 : null } }));
      const spec = parallelCoordinatesSpec(runs) as unknown as { layer: { data: { values: { text?: string; norm?: number }[] }; transform?: { calculate?: string }[] }[] };
      assert.ok(spec.layer[2].data.values.some((t) => t.text === 'missing' && t.norm! < 0));
      assert.match(spec.layer[1].transform!.find((t) => t.calculate)!.calculate!, /^!isValid\(datum\.value\) \? -0\.12/);
      await compileStrict(spec as unknown as TopLevelSpec);
    });

    it('is null when no hyperparameter varies', () => {
      assert.equal(parallelCoordinatesSpec(grid.runs.slice(0, 2)), null);
      assert.equal(paramEffectsSpec(grid.runs.slice(0, 2)), null);
    });
  });

  describe('confusionRows', () => {
    it('gives each cell its count and its share of the true class', () => {
      const rows = confusionRows([
        [3, 1],
        [0, 0],
      ]);
      assert.deepEqual(rows, [
        { truth: 0, predicted: 0, count: 3, share: 0.75, diagonal: true },
        { truth: 0, predicted: 1, count: 1, share: 0.25, diagonal: false },
        { truth: 1, predicted: 0, count: 0, share: 0, diagonal: false },
        { truth: 1, predicted: 1, count: 0, share: 0, diagonal: true },
      ]);
    });
  });

  describe('confusionDiffRows', () => {
    it('gives B − A per cell and counts a gain on the diagonal as more right, off it as fewer wrong', () => {
      const rows = confusionDiffRows([[5, 2], [1, 6]], [[6, 1], [3, 4]]);
      assert.deepEqual(rows.map((r) => [r.diff, r.gain]), [[1, 1], [-1, 1], [2, -2], [-2, -2]]);
    });
  });

  describe('confusion and per-class charts', () => {
    it('draw the given evaluations from data sets the page can replace', async () => {
      const [a, b] = [grid.runs[0].test!, grid.runs[1].test!];
      const confusion = await compileStrict(confusionMatrixSpec(a));
      assert.equal(dataValues(confusion as never, 'cells').length, 100);
      const diff = await compileStrict(confusionDiffSpec(a, b, 'first', 'second'));
      assert.equal(dataValues(diff as never, 'cells').length, 100);
      const perClass = await compileStrict(perClassSpec(a));
      assert.equal(dataValues(perClass as never, 'classes').length, 30);
    });

    it('colour errors on a log scale, apart from the diagonal', async () => {
      const vega = (await compileStrict(confusionMatrixSpec(grid.runs[0].test!))) as { scales: { name: string; type: string }[] };
      assert.equal(vega.scales.find((s) => s.name === 'color')?.type, 'log');
      assert.match(JSON.stringify(vega), /!datum\.diagonal && datum\.count > 0/);
    });

    it('per-class scores are dots on a fitted axis, with no bar to clip', () => {
      const spec = JSON.stringify(perClassSpec(grid.runs[0].test!));
      assert.doesNotMatch(spec, /"bar"/);
      assert.match(spec, /"zero":false/);
    });
  });

  describe('stepCurvesSpec', () => {
    it('draws per-step curves of one-epoch runs with a smoothing menu, and is null without steps', async () => {
      const runs = grid.runs.slice(0, 3);
      const histories = new Map(runs.map((r) => [r.id, history(0.9, 1, prng(5))]));
      const steps = fakeSteps({ runs, histories });
      const spec = stepCurvesSpec(runs, steps, { metric: 'loss' })!;
      const vega = (await compileStrict(spec)) as { signals: { name: string; bind?: { input: string } }[] };
      assert.equal(vega.signals.find((s) => s.name === 'smoothing')?.bind?.input, 'select');
      assert.equal(stepRows(runs, steps).length, 3 * 120); // 200 points a run, down-sampled to 120
      assert.equal(stepCurvesSpec(runs, new Map()), null);
    });
  });

  describe('accuracyVsTimeSpec', () => {
    it('skips runs without a summary and is null without any', async () => {
      const spec = accuracyVsTimeSpec(grid.runs)!;
      assert.equal((spec as { data: { values: unknown[] } }).data.values.length, 16); // the failed run is left out
      await compileStrict(spec);
      assert.equal(accuracyVsTimeSpec(grid.runs.slice(-1)), null);
    });
  });
});
