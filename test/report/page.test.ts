import { strict as assert } from 'node:assert';
import { renderReportHtml } from '../../src/report/html/page';
import { bestRun } from '../../src/report/runs';
import { fakePredictions, hostileGrid, XSS_NAME } from './fixtures';

function scriptTags(html: string): string[] {
  return html.match(/<script\b[^>]*>/g) ?? [];
}

describe('report/html/page', () => {
  describe('renderReportHtml', () => {
    const data = hostileGrid();
    const html = renderReportHtml(data, { generatedAt: new Date('2026-11-22T10:00:00Z') });

    it('inlines vega, vega-lite and vega-embed and loads nothing from outside', () => {
      assert.deepEqual(scriptTags(html), ['<script type="application/json" id="report-charts">', '<script>', '<script>', '<script>', '<script>']);
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
      assert.equal(payload.charts.length, 7);
      assert.ok(JSON.stringify(payload).includes(JSON.stringify(XSS_NAME)), 'run name kept verbatim in the data');
    });

    it('highlights the best run by validation accuracy in the table', () => {
      const best = bestRun(data.runs)!;
      const rows = html.match(/<tr class="best" data-run="[^"]*"/g) ?? [];
      assert.deepEqual(rows, [`<tr class="best" data-run="${best.id}"`]);
    });

    it('lists every run in the table and in the reproducibility facts', () => {
      assert.equal((html.match(/<tr( class="best")? data-run=/g) ?? []).length, data.runs.length);
      assert.match(html, /Reproducibility facts of 9 runs/);
      assert.match(html, /22c7490aaaaa/);
    });

    it('says there is no gallery when the predictions are missing', () => {
      assert.match(html, /No test-set predictions of the best run were available/);
    });

    it('shows the mistakes gallery when predictions are given', () => {
      const labels = Uint8Array.from({ length: 200 }, (_, i) => i % 10);
      const withGallery = renderReportHtml({ ...data, bestPredictions: fakePredictions(labels, new Uint8Array(200 * 784), 20) }, { mistakes: 4 });
      assert.equal((withGallery.match(/<img src="data:image\/png;base64,/g) ?? []).length, 4);
      assert.match(withGallery, /the 4 most confident of 10 errors/);
    });
  });
});
