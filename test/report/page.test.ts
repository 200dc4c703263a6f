import { strict as assert } from 'node:assert';
import { VISIBLE_ROWS } from '../../src/report/html/lazy';
import { renderReportHtml } from '../../src/report/html/page';
import { bestRun } from '../../src/report/runs';
import { fakePredictions, hostileGrid, XSS_NAME } from './fixtures';

function scriptTags(html: string): string[] {
  return html.match(/<script\b[^>]*>/g) ?? [];
}

describe('report/html/page', () => {
  describe('renderReportHtml', () => {
    const data = hostileGrid();
    let html = '';
    before(async () => {
      html = await renderReportHtml(data, { generatedAt: new Date('2026-11-22T10:00:00Z') });
    });

    it('inlines vega, vega-lite and vega-embed and loads nothing from outside', () => {
      assert.deepEqual(scriptTags(html), ['<script type="text/html" id="repro-more">', '<script type="application/json" id="report-charts">', '<script>', '<script>', '<script>', '<script>']);
      assert.match(html, /t\.version="6\.\d+\.\d+"/, 'vega bundle');
      assert.doesNotMatch(html, /<script[^>]+src=|<link\b|sourceMappingURL/);
      assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src &#39;sha256-/);
    });

    it('never lets a user string out as markup', () => {
      assert.equal(html.split(XSS_NAME).length, 1, 'the raw XSS string appears nowhere');
      assert.ok(html.includes('&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;'), 'it appears escaped');
      assert.doesNotMatch(html, /<img src=x/);
    });

    it('embeds the chart data as parseable JSON holding the exact strings', () => {
      const json = html.match(/<script type="application\/json" id="report-charts">([^<]*)<\/script>/)![1];
      const payload = JSON.parse(json) as { renderer: string; charts: { id: string; spec: unknown }[] };
      assert.equal(payload.renderer, 'svg');
      assert.equal(payload.charts.length, 9); // no step metrics in this fixture: no step charts
      for (const chart of payload.charts) assert.match(String((chart.spec as { $schema?: string }).$schema), /vega\/v\d/, `${chart.id} is compiled to Vega`);
      assert.ok(JSON.stringify(payload).includes(JSON.stringify(XSS_NAME)), 'run name kept verbatim in the data');
    });

    it('is static unless written live, and then says so with its time', async () => {
      assert.doesNotMatch(html, /id="live-banner"/);
      assert.equal(JSON.parse(html.match(/id="report-charts">([^<]*)</)![1]).live, null);
      const live = await renderReportHtml(hostileGrid(), { live: { every: 7 }, generatedAt: new Date('2026-12-02T12:34:56Z') });
      assert.match(live, /live · updated 12:34:56 UTC · the grid is still running; this page reloads every 7 s/);
      assert.deepEqual(JSON.parse(live.match(/id="report-charts">([^<]*)</)![1]).live, { at: '2026-12-02T12:34:56.000Z', every: 7 });
    });

    it('highlights the best run by validation accuracy in the table', () => {
      const best = bestRun(data.runs)!;
      const rows = html.match(/<tr class="best" data-run="[^"]*"/g) ?? [];
      assert.deepEqual(rows, [`<tr class="best" data-run="${best.id}"`]);
    });

    it('keeps rows past the first ones as inert text until the page asks for them', async () => {
      const many = { ...data, runs: Array.from({ length: 150 }, (_, i) => ({ ...data.runs[i % data.runs.length], id: `r${i}` })) };
      const big = await renderReportHtml(many);
      const waiting = big.match(/<script type="text\/html" id="runs-more">([\s\S]*?)<\/script>/);
      assert.ok(waiting, `the runs past the first ${VISIBLE_ROWS} wait in a text/html script element`);
      assert.equal((waiting[1].match(/<tr( class="best")? data-run=/g) ?? []).length, 150 - VISIBLE_ROWS);
      assert.equal(waiting[1].split(XSS_NAME).length, 1, 'escaped there too');
    });

    it('lists every run in the table and in the reproducibility facts', () => {
      assert.equal((html.match(/<tr( class="best")? data-run=/g) ?? []).length, data.runs.length);
      assert.match(html, /Reproducibility facts of 9 runs/);
      assert.match(html, /22c7490aaaaa/);
    });

    it('says there is no gallery when the predictions are missing', () => {
      assert.match(html, /No test-set predictions of the best run were available/);
    });

    it('shows the mistakes gallery when predictions are given', async () => {
      const labels = Uint8Array.from({ length: 200 }, (_, i) => i % 10);
      const withGallery = await renderReportHtml({ ...data, bestPredictions: fakePredictions(labels, new Uint8Array(200 * 784), 20) }, { mistakes: 4 });
      assert.equal((withGallery.match(/<img src="data:image\/png;base64,/g) ?? []).length, 4);
      assert.match(withGallery, /the 4 most confident of 10 errors/);
    });
  });
});
