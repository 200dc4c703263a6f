/**
 * Draw-to-answer latency of the web page in headless Chromium: a "7" is drawn on the pad with the
 * mouse BENCH_DRAWS (30) times; for each, the time from the pointer-up event to the answer shown in
 * #digit is measured inside the page (performance.now() in a pointerup listener, a MutationObserver
 * on #digit). The server runs in this process on 127.0.0.1 with the reference CNN of the default
 * spec (untrained: the same cost per image), or BENCH_RUNS_DIR + BENCH_RUN. Prints the median,
 * p90 and max and writes bench/results/draw.json.
 *   npm run bench:draw        (needs Chromium at /usr/bin/chromium, or CHROMIUM_PATH, as the tests)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { selectBackend } from '../src/engine';
import { startServer } from '../src/web/server';
import { folderCatalog } from '../src/web/runs';
import { referenceRun } from './reference-run';
import { launchChromium } from '../test/report/browser';

const ROOT = path.resolve(__dirname, '..');
const DRAWS = Number(process.env.BENCH_DRAWS ?? 30);

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function main(): Promise<void> {
  const engine = await selectBackend();
  const temp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-draw-'));
  const runsDir = process.env.BENCH_RUNS_DIR ?? temp;
  const run = process.env.BENCH_RUN ?? (await referenceRun(runsDir));
  const server = await startServer({ catalog: folderCatalog(runsDir), host: '127.0.0.1', port: 0, defaultRun: run, preload: true });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1000, height: 860 } });
    await page.addInitScript(() => {
      const w = window as unknown as { drawTimes: number[]; upAt: number };
      w.drawTimes = [];
      document.addEventListener('pointerup', () => (w.upAt = performance.now()), true);
      document.addEventListener('DOMContentLoaded', () => {
        const digit = document.getElementById('digit')!;
        new MutationObserver(() => {
          if (w.upAt && /^\d$/.test(digit.textContent ?? '')) {
            w.drawTimes.push(performance.now() - w.upAt);
            w.upAt = 0;
          }
        }).observe(digit, { childList: true, characterData: true, subtree: true });
      });
    });
    await page.goto(server.url);
    await page.waitForSelector('#run:not([disabled])');
    const box = (await page.locator('#pad').boundingBox())!;
    const at = (fx: number, fy: number): [number, number] => [box.x + box.width * fx, box.y + box.height * fy];
    for (let i = 0; i < DRAWS + 3; i++) {
      await page.click('#clear');
      await page.mouse.move(...at(0.28, 0.22));
      await page.mouse.down();
      for (const [fx, fy] of [[0.45, 0.22], [0.72, 0.22], [0.62, 0.45], [0.52, 0.65], [0.45, 0.82]]) await page.mouse.move(...at(fx, fy), { steps: 6 });
      await page.mouse.up();
      await page.waitForFunction((n) => (window as unknown as { drawTimes: number[] }).drawTimes.length >= n, i + 1, { timeout: 30_000 });
    }
    const times = ((await page.evaluate(() => (window as unknown as { drawTimes: number[] }).drawTimes)) as number[]).slice(3); // 3 warm-up draws
    const sorted = [...times].sort((a, b) => a - b);
    const result = {
      date: new Date().toISOString(),
      backend: engine.backend,
      cpus: os.cpus().length,
      loadAverage: os.loadavg()[0],
      draws: times.length,
      run,
      pointerUpToDigitMs: { median: quantile(sorted, 0.5), p90: quantile(sorted, 0.9), max: sorted[sorted.length - 1], mean: times.reduce((a, b) => a + b, 0) / times.length },
      how: 'headless Chromium, 1000x860 viewport, a "7" drawn with the mouse; pointerup -> #digit shows the answer, timed in the page',
    };
    console.log(JSON.stringify(result, null, 2));
    fs.mkdirSync(path.join(ROOT, 'bench', 'results'), { recursive: true });
    fs.writeFileSync(path.join(ROOT, 'bench', 'results', 'draw.json'), `${JSON.stringify(result, null, 2)}\n`);
    console.log('wrote bench/results/draw.json');
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(temp, { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
