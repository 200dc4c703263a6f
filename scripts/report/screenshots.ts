/**
 * Screenshots of a report of the fixture grid at two widths, to look at the page:
 *   npx ts-node --transpile-only scripts/report/screenshots.ts [outDir]   (default test-output/)
 * Writes report-1400.png, report-800.png and the HTML it shot.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderReportHtml } from '../../src/report/html/page';
import { chartChecks, launchChromium } from '../../test/report/browser';
import { fakeGrid, fakePredictions, fakeSteps } from '../../test/report/fixtures';

async function main() {
  const out = path.resolve(process.argv[2] ?? 'test-output');
  fs.mkdirSync(out, { recursive: true });
  const data = fakeGrid({ count: 24, epochs: 6 });
  data.histories.set(data.runs[0].id, data.histories.get(data.runs[0].id)!.slice(0, 1)); // a one-epoch run
  data.steps = fakeSteps(data);
  const labels = Uint8Array.from({ length: 2000 }, (_, i) => i % 10);
  const images = Uint8Array.from({ length: 2000 * 784 }, (_, i) => ((i % 28) * 9 + Math.floor(i / 784)) & 255);
  const ranked = data.runs.filter((r) => r.validation).sort((a, b) => b.validation!.accuracy - a.validation!.accuracy);
  data.predictions = new Map(ranked.slice(0, 6).map((run, i) => [run.id, fakePredictions(labels, images, 23 + i * 4)]));
  const file = path.join(out, 'report-screenshot.html');
  fs.writeFileSync(file, await renderReportHtml(data));
  const browser = await launchChromium();
  try {
    for (const width of [1400, 800]) {
      const page = await browser.newPage({ viewport: { width, height: 1000 } });
      await page.goto(`file://${file}`);
      await chartChecks(page);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      await page.screenshot({ path: path.join(out, `report-${width}.png`), fullPage: true });
      console.log(`${width} px: page overflows by ${overflow} px; wrote report-${width}.png`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
