import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { renderReportHtml, type ReportOptions } from '../../src/report/html/page';
import { bestRun } from '../../src/report/runs';
import type { ReportData } from '../../src/report/types';
import { chartChecks, launchChromium } from './browser';
import { fakeGrid, fakePredictions, fakeSteps } from './fixtures';

/** A 12-run grid with step metrics, and predictions for its four best runs (some of them wrong). */
function grid(): ReportData {
  const data = fakeGrid({ count: 12, epochs: 4 });
  data.steps = fakeSteps(data);
  const labels = Uint8Array.from({ length: 400 }, (_, i) => i % 10);
  const images = Uint8Array.from({ length: 400 * 784 }, (_, i) => ((i % 28) * 9 + Math.floor(i / 784)) & 255);
  const ranked = [...data.runs].filter((r) => r.test).sort((a, b) => b.validation!.accuracy - a.validation!.accuracy);
  data.predictions = new Map(ranked.slice(0, 4).map((run, k) => [run.id, fakePredictions(labels, images, 17 + k * 6)]));
  return data;
}

type Signals = Record<string, Record<string, true> | null>;

/** The `shown` signal of every chart that has one, by chart id, its keys turned back into run ids. */
function shownSignals(page: Page): Promise<Signals> {
  return page.evaluate(() => {
    type View = { signal(name: string): Record<string, true> | null };
    const report = (window as unknown as { digitReport: { views: Record<string, View>; payload: { data: { ids: string[] } } } }).digitReport;
    const out: Record<string, unknown> = {};
    for (const [id, view] of Object.entries(report.views)) {
      try {
        const shown = view.signal('shown');
        out[id] = shown && Object.fromEntries(Object.keys(shown).map((r) => [report.payload.data.ids[Number(r)], true]));
      } catch {
        // a chart without the signal (confusion, per-class)
      }
    }
    return out as Signals;
  });
}

function signal(page: Page, chart: string, name: string): Promise<unknown> {
  return page.evaluate(([c, n]) => (window as unknown as { digitReport: { views: Record<string, { signal(n: string): unknown }> } }).digitReport.views[c].signal(n), [chart, name]);
}

function visibleRows(page: Page): Promise<string[]> {
  return page.$$eval('#runs-table tbody tr', (trs) => trs.filter((tr) => (tr as HTMLElement).style.display !== 'none').map((tr) => tr.getAttribute('data-run')!));
}

describe('report page as a tool (in headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  let dir: string;
  const problems: string[] = [];
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-report-tool-'));
    problems.length = 0;
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function open(data: ReportData, options: ReportOptions = {}, width = 1400): Promise<{ page: Page; file: string }> {
    const file = path.join(dir, 'report.html');
    fs.writeFileSync(file, await renderReportHtml(data, options));
    const page = await browser.newPage({ viewport: { width, height: 900 }, acceptDownloads: true });
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    await page.goto(`file://${file}`);
    await chartChecks(page);
    await page.waitForFunction(() => document.body.getAttribute('data-tool-ready') === 'true');
    return { page, file };
  }

  it('filters the table by words and key=value, and the charts draw only the matching runs', async () => {
    const data = grid();
    const { page } = await open(data);
    try {
      assert.equal((await visibleRows(page)).length, 13);
      await page.fill('#runs-filter', 'filters=32 learningrate=0.001');
      const expected = data.runs.filter((r) => r.params['model.blocks.0.filters'] === 32 && r.params['train.optimizer.learningRate'] === 0.001).map((r) => r.id);
      assert.ok(expected.length >= 1);
      assert.deepEqual((await visibleRows(page)).sort(), [...expected].sort());
      assert.match((await page.textContent('#runs-count'))!, new RegExp(`^${expected.length} of 13 runs match`));
      const signals = await shownSignals(page);
      assert.ok(Object.keys(signals).length >= 8, Object.keys(signals).join(' '));
      for (const [id, shown] of Object.entries(signals)) assert.deepEqual(Object.keys(shown ?? {}).sort(), [...expected].sort(), id);
      // The accuracy-vs-time chart now draws one dot per matching run.
      const dots = await page.evaluate(() => {
        type Node = { marktype?: string; role?: string; items?: Node[] };
        const view = (window as unknown as { digitReport: { views: Record<string, { scenegraph(): { root: Node } }> } }).digitReport.views['accuracy-vs-time'];
        const symbols: number[] = [];
        const walk = (n: Node) => { if (n.marktype === 'symbol' && n.role === 'mark') symbols.push((n.items ?? []).length); (n.items ?? []).forEach(walk); };
        walk(view.scenegraph().root);
        return symbols[0];
      });
      assert.equal(dots, expected.length);
      await page.fill('#runs-filter', '');
      assert.equal((await visibleRows(page)).length, 13);
      assert.equal((await shownSignals(page))['loss-epochs'], null, 'an empty filter shows every run again');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  it('ticked runs are what the charts show, and the confusion charts compare the first two (A, then B)', async () => {
    const data = grid();
    const best = bestRun(data.runs)!;
    const [a, b] = data.runs.filter((r) => r.test && r !== best).slice(0, 2);
    const { page } = await open(data);
    try {
      assert.match(String(await signal(page, 'confusion', 'caption')), new RegExp(`A = ${best.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
      await page.check(`tr[data-run="${a.id}"] input.pick`);
      await page.check(`tr[data-run="${b.id}"] input.pick`);
      const signals = await shownSignals(page);
      for (const [id, shown] of Object.entries(signals)) assert.deepEqual(Object.keys(shown ?? {}).sort(), [a.id, b.id].sort(), id);
      assert.equal(await signal(page, 'confusion', 'caption'), `Test confusion matrix · A = ${a.name}`);
      assert.equal(await signal(page, 'confusion-diff', 'caption'), `B − A · B = ${b.name} · A = ${a.name}`);
      const drawn = await page.evaluate(() => {
        const views = (window as unknown as { digitReport: { views: Record<string, { data(n: string): { truth: number; predicted: number; count?: number; diff?: number }[] }> } }).digitReport.views;
        return { a: views.confusion.data('cells').map((c) => c.count), diff: views['confusion-diff'].data('cells').map((c) => c.diff) };
      });
      assert.deepEqual(drawn.a, a.test!.confusion.flat());
      assert.deepEqual(drawn.diff, b.test!.confusion.flat().map((n, i) => n - a.test!.confusion.flat()[i]));
      assert.match((await page.textContent('#compare-note'))!, new RegExp(`A = .* · B = `));
      await page.click('#runs-clear');
      assert.equal((await shownSignals(page))['loss-steps'], null);
      assert.match(String(await signal(page, 'confusion', 'caption')), /A = /);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  it("clicking a confusion cell shows that pair's misclassified test images", async () => {
    const data = grid();
    const best = bestRun(data.runs)!;
    const predictions = data.predictions!.get(best.id)!;
    const { page } = await open(data);
    try {
      // The first mistake of the best run's predictions: its (true, predicted) cell.
      let first = -1;
      for (let i = 0; i < predictions.labels.length && first < 0; i++) {
        const row = Array.from(predictions.probs.subarray(i * 10, i * 10 + 10));
        if (row.indexOf(Math.max(...row)) !== predictions.labels[i]) first = i;
      }
      const truth = predictions.labels[first];
      const row = Array.from(predictions.probs.subarray(first * 10, first * 10 + 10));
      const predicted = row.indexOf(Math.max(...row));
      let expected = 0;
      for (let i = 0; i < predictions.labels.length; i++) {
        const r = Array.from(predictions.probs.subarray(i * 10, i * 10 + 10));
        if (predictions.labels[i] === truth && r.indexOf(Math.max(...r)) === predicted) expected += 1;
      }
      // force: the count printed in the cell is on top, and its click counts as the cell's
      await page.click(`#chart-confusion g.layer_0_marks path[aria-label="predicted: ${predicted}; true: ${truth}"]`, { force: true });
      await page.waitForSelector('#mistakes-view .gallery img');
      const shown = await page.$$eval('#mistakes-view .gallery img', (imgs) => imgs.map((i) => `${(i as HTMLImageElement).naturalWidth}x${(i as HTMLImageElement).alt}`));
      assert.equal(shown.length, expected);
      assert.ok(shown.every((s) => s.startsWith('28x') && s.includes(`true ${truth}, predicted ${predicted}`)), shown.join(' | '));
      assert.match((await page.textContent('#mistakes-view h3'))!, new RegExp(`: true ${truth} → predicted ${predicted} · ${expected} images?`));
      // In the difference chart, a cell shows the mistakes of both runs.
      await page.click(`#chart-confusion-diff g.layer_0_marks path[aria-label*="predicted: ${predicted}; true: ${truth}"]`, { force: true });
      await page.waitForFunction(() => document.querySelectorAll('#mistakes-view h3').length === 2);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  it('downloads each chart as PNG and SVG, and the filtered table as CSV', async () => {
    const data = grid();
    const formula = data.runs.find((r) => r.params['train.optimizer.name'] === 'adam')!;
    formula.name = '=HYPERLINK("http://x","y")'; // must reach a spreadsheet as text, not as a formula
    const { page } = await open(data);
    try {
      const ids = await page.$$eval('button[data-export="png"]', (bs) => bs.map((b) => b.getAttribute('data-chart')!));
      assert.equal(ids.length, 12, ids.join(' ')); // 11 charts of runs and the reliability diagram of the best run
      for (const [id, type] of [['confusion', 'png'], ['loss-steps', 'svg'], ['parallel-coordinates', 'png']]) {
        const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-export="${type}"][data-chart="${id}"]`)]);
        assert.equal(download.suggestedFilename(), `digit-lab-${id}.${type}`);
        const bytes = fs.readFileSync((await download.path())!);
        if (type === 'png') assert.deepEqual([...bytes.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], 'a PNG');
        else assert.match(bytes.toString('utf8'), /^<svg[^>]+xmlns="http:\/\/www\.w3\.org\/2000\/svg"[\s\S]*<\/svg>\s*$/);
        assert.ok(bytes.length > 2000, `${id}.${type}: ${bytes.length} bytes`);
      }
      await page.fill('#runs-filter', 'adam');
      const [csv] = await Promise.all([page.waitForEvent('download'), page.click('#runs-csv')]);
      assert.equal(csv.suggestedFilename(), 'digit-lab-runs.csv');
      const lines = fs.readFileSync((await csv.path())!, 'utf8').trimEnd().split('\r\n');
      assert.equal(lines[0].split(',').slice(0, 3).join(','), 'id,run,status');
      const adam = data.runs.filter((r) => r.params['train.optimizer.name'] === 'adam');
      assert.equal(lines.length - 1, adam.length);
      assert.ok(lines.some((l) => l.startsWith(`${formula.id},"'=HYPERLINK(""http://x"",""y"")",`)), lines.find((l) => l.startsWith(formula.id)));
      const best = bestRun(data.runs)!;
      const bestLine = lines.find((l) => l.startsWith(`${best.id},`))!;
      assert.ok(bestLine.includes(`,${best.validation!.accuracy},`), bestLine);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });

  it('fits 1400 and 800 px windows: no page overflow, the table fits at 1400, no chart clipped at 800', async () => {
    for (const width of [1400, 800]) {
      const { page } = await open(grid(), {}, width);
      try {
        const fit = await page.evaluate(() => {
          const wrap = document.querySelector('#runs .table-wrap') as HTMLElement;
          const clipped = Array.from(document.querySelectorAll('figure.chart')).filter((f) => f.scrollWidth > f.clientWidth + 1).map((f) => f.querySelector('.vega-chart')!.id);
          return { page: document.documentElement.scrollWidth - document.documentElement.clientWidth, table: wrap.scrollWidth - wrap.clientWidth, clipped };
        });
        assert.equal(fit.page, 0, `${width} px: the page scrolls sideways`);
        if (width === 1400) assert.ok(fit.table <= 0, `the table is ${fit.table} px too wide at 1400`);
        assert.deepEqual(fit.clipped, [], `${width} px`);
      } finally {
        await page.close();
      }
    }
  });

  it('a live page reloads itself keeping the filter and ticks, and stops once the final static page replaces it', async () => {
    const data = grid();
    const { page, file } = await open(data, { live: { every: 3 } });
    try {
      assert.match((await page.textContent('#live-banner'))!, /live · updated .* UTC/);
      let loads = 0;
      page.on('load', () => (loads += 1));
      const ticked = data.runs[3].id;
      await page.fill('#runs-filter', 'adam');
      await page.check(`tr[data-run="${ticked}"] input.pick`);
      // The second write reloads less often, so the checks below run before its own next reload.
      fs.writeFileSync(file, await renderReportHtml(data, { live: { every: 6 }, title: 'second write' }));
      await page.waitForFunction(() => document.title === 'second write', null, { timeout: 20_000 });
      await page.waitForFunction(() => document.body.getAttribute('data-tool-ready') === 'true');
      assert.equal(await page.inputValue('#runs-filter'), 'adam', 'the filter survives the reload');
      assert.equal(await page.isChecked(`tr[data-run="${ticked}"] input.pick`), true, 'so do the ticks');
      assert.deepEqual(Object.keys((await shownSignals(page))['loss-epochs'] ?? {}), [ticked]);
      fs.writeFileSync(file, await renderReportHtml(data, { title: 'final' }));
      await page.waitForFunction(() => document.title === 'final', null, { timeout: 20_000 });
      assert.equal(await page.$('#live-banner'), null, 'the final page is not marked live');
      const before = loads;
      await page.waitForTimeout(2500);
      assert.equal(loads, before, 'the final page does not reload');
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
    }
  });
});
