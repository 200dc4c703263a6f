import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { VISIBLE_ROWS } from '../../src/report/html/lazy';
import { renderReportHtml, type ReportOptions } from '../../src/report/html/page';
import { bestRun } from '../../src/report/runs';
import { chartChecks, launchChromium } from './browser';
import { fakeGrid, fakePredictions, hostileGrid, XSS_NAME } from './fixtures';

const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output');

/** Writes a report (default: the hostile grid, with a mistakes gallery) and opens it from file://. */
async function openReport(browser: Browser, options: ReportOptions, data = hostileGrid()) {
  const labels = Uint8Array.from({ length: 300 }, (_, i) => i % 10);
  const images = Uint8Array.from({ length: 300 * 784 }, (_, i) => ((i % 28) * 9) & 255);
  data.bestPredictions = fakePredictions(labels, images, 25);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-report-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, await renderReportHtml(data, options));
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
  const problems: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`${m.type()}: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); void d.dismiss(); });
  page.on('request', (r) => { if (!/^(file|data):/.test(r.url())) problems.push(`request: ${r.url()}`); });
  await page.goto(`file://${file}`);
  return { page, problems, data, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** The `data-v` sort values of one column of the runs table, top to bottom. */
function columnValues(page: Page, header: string) {
  return page.evaluate((head) => {
    const table = document.getElementById('runs-table') as HTMLTableElement;
    const col = Array.from(table.tHead!.rows[0].cells).findIndex((th) => th.textContent === head);
    return Array.from(table.tBodies[0].rows).map((r) => r.cells[col].getAttribute('data-v') ?? '');
  }, header);
}

describe('report (in headless Chromium)', function () {
  this.timeout(120_000);
  let browser: Browser;
  before(async () => {
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
  });

  for (const renderer of ['svg', 'canvas'] as const) {
    it(`draws every chart with the ${renderer} renderer, without console errors`, async () => {
      const { page, problems, cleanup } = await openReport(browser, { renderer });
      try {
        const charts = await chartChecks(page);
        assert.equal(charts.length, 10); // no step metrics in this fixture; a reliability diagram from the best run's predictions
        for (const chart of charts) {
          assert.equal(chart.element, renderer, `${chart.id} renderer`);
          assert.ok(chart.items > 20, `${chart.id} drew ${chart.items} items`);
        }
        assert.deepEqual(problems, []);
        if (renderer === 'svg') {
          fs.mkdirSync(SCREENSHOTS, { recursive: true });
          await page.screenshot({ path: path.join(SCREENSHOTS, 'report.png'), fullPage: true });
        }
      } finally {
        await page.close();
        cleanup();
      }
    });
  }

  it('shows the XSS run name as text and runs none of it', async () => {
    const { page, problems, cleanup } = await openReport(browser, {});
    try {
      await chartChecks(page);
      const found = await page.evaluate((name) => {
        const cells = Array.from(document.querySelectorAll('#runs-table td.name'));
        const cell = cells.find((td) => td.textContent!.startsWith(name)) as HTMLElement | undefined;
        return {
          visible: cell ? cell.offsetWidth > 0 && cell.offsetHeight > 0 : false,
          injectedImages: document.querySelectorAll('img[src="x"]').length,
          scripts: Array.from(document.scripts).filter((s) => !['application/json', 'text/html'].includes(s.type)).length,
          textHits: document.body.innerText.split(name).length - 1,
        };
      }, XSS_NAME);
      assert.equal(found.visible, true, 'the run name is visible text');
      assert.equal(found.injectedImages, 0, 'no injected <img>');
      assert.equal(found.scripts, 4, 'no injected <script>: only vega, vega-lite, vega-embed and the page script run');
      // name (table + reproducibility), tag, note, experiment, error
      assert.ok(found.textHits >= 6, `the string shows as text ${found.textHits} times`);
      assert.deepEqual(problems, [], 'no dialog, no error');
    } finally {
      await page.close();
      cleanup();
    }
  });

  it('shows the XSS run name in a chart tooltip as text', async () => {
    const { page, problems, cleanup } = await openReport(browser, {});
    try {
      await chartChecks(page);
      // Call the tooltip handler vega-embed installed, as hovering a point would.
      const tooltip = await page.evaluate((name) => {
        type View = { tooltip(): (view: unknown, event: unknown, item: unknown, value: unknown) => void };
        const view = (window as unknown as { digitReport: { views: Record<string, View> } }).digitReport.views['accuracy-vs-time'];
        const event = new MouseEvent('pointermove', { clientX: 200, clientY: 200 });
        view.tooltip()(view, event, {}, { run: name });
        const el = document.getElementById('vg-tooltip-element');
        return { text: el?.textContent ?? '', injectedImages: document.querySelectorAll('img[src="x"]').length };
      }, XSS_NAME);
      assert.ok(tooltip.text.includes(XSS_NAME), tooltip.text);
      assert.equal(tooltip.injectedImages, 0);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
      cleanup();
    }
  });

  it('sorts the runs table by a clicked column and marks the best run', async () => {
    const { page, data, cleanup } = await openReport(browser, {});
    try {
      const byValAcc = (await columnValues(page, 'val acc')).filter(Boolean).map(Number);
      assert.deepEqual(byValAcc, [...byValAcc].sort((a, b) => b - a), 'best first on load');
      await page.click('#runs-table th:text-is("duration")');
      const desc = (await columnValues(page, 'duration')).filter(Boolean).map(Number);
      assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
      await page.click('#runs-table th:text-is("duration")');
      const asc = (await columnValues(page, 'duration')).filter(Boolean).map(Number);
      assert.deepEqual(asc, [...asc].sort((a, b) => a - b));
      assert.equal(await page.getAttribute('#runs-table th:text-is("duration")', 'aria-sort'), 'ascending');
      assert.equal(await page.getAttribute('tr.best', 'data-run'), bestRun(data.runs)!.id);
    } finally {
      await page.close();
      cleanup();
    }
  });

  it('shows the mistakes gallery as decoded 28x28 images', async () => {
    const { page, cleanup } = await openReport(browser, {});
    try {
      const sizes = await page.$$eval('.gallery img', (imgs) => imgs.map((i) => `${(i as HTMLImageElement).naturalWidth}x${(i as HTMLImageElement).naturalHeight}`));
      assert.equal(sizes.length, 12); // 300 images, every 25th wrong
      assert.ok(sizes.every((s) => s === '28x28'), sizes.join(' '));
    } finally {
      await page.close();
      cleanup();
    }
  });

  it('keeps rows past the first VISIBLE_ROWS waiting until "show all", a sort or opening the details', async () => {
    const { page, problems, cleanup } = await openReport(browser, {}, fakeGrid({ count: 150, epochs: 3 }));
    const rows = (selector: string) => page.$$eval(selector, (trs) => trs.length);
    try {
      await chartChecks(page);
      assert.equal(await rows('#runs-table tbody tr'), VISIBLE_ROWS);
      await page.click('button[data-expand="runs-more"]');
      assert.equal(await rows('#runs-table tbody tr'), 151);
      assert.equal(await page.$('button[data-expand="runs-more"]'), null, 'the button goes away');
      assert.equal(await rows('#reproducibility tbody tr'), 0);
      await page.click('#reproducibility summary');
      await page.waitForFunction(() => document.querySelectorAll('#reproducibility tbody tr').length === 151);
      assert.deepEqual(problems, []);
    } finally {
      await page.close();
      cleanup();
    }
  });

  it('sorting a long table sorts all of its rows', async () => {
    const { page, cleanup } = await openReport(browser, {}, fakeGrid({ count: 150, epochs: 3 }));
    try {
      await page.click('#runs-table th:text-is("duration")');
      const desc = (await columnValues(page, 'duration')).filter(Boolean).map(Number);
      assert.equal(desc.length, 151); // the failed run has a duration too
      assert.deepEqual(desc, [...desc].sort((a, b) => b - a));
    } finally {
      await page.close();
      cleanup();
    }
  });
});
