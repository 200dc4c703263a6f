/**
 * Report benchmark: builds the report of 1,000 fake runs (30 epochs each, per-step metrics, test
 * predictions of the 20 best), measures the HTML size,
 * the time to render it in Node, and the time headless Chromium takes to open it from file:// until
 * every chart is drawn (wall time, and the CPU time of Chromium's processes, which other jobs on a
 * shared machine disturb less). Writes bench/results/report.json.
 *
 *   npm run bench:report            (RUNS=200 EPOCHS=100 npm run bench:report for other sizes)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { renderReportHtml } from '../src/report/html/page';
import { chromium } from 'playwright-core';
import { chartChecks, CHROMIUM } from '../test/report/browser';
import { fakeGrid, fakePredictions, fakeSteps } from '../test/report/fixtures';
import { DEFAULT_PREDICTION_RUNS } from '../src/report/write';
import { bestRun } from '../src/report/runs';

const RUNS = Number(process.env.RUNS ?? 1000);
const EPOCHS = Number(process.env.EPOCHS ?? 30);
const OPENS = Number(process.env.OPENS ?? 3);

/** CPU seconds (user + system) used so far by a process and all its descendants (Linux /proc). */
function treeCpuSeconds(root: number): number {
  const parent = new Map<number, number>();
  const cpu = new Map<number, number>();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      cpu.set(Number(entry), (Number(fields[11]) + Number(fields[12])) / 100); // clock ticks, USER_HZ = 100
    } catch {
      // the process ended while we looked
    }
  }
  const inTree = (pid: number): boolean => pid === root || (pid > 1 && parent.has(pid) && inTree(parent.get(pid)!));
  let total = 0;
  for (const [pid, seconds] of cpu) if (inTree(pid)) total += seconds;
  return total;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main() {
  const data = fakeGrid({ count: RUNS, epochs: EPOCHS });
  const labels = Uint8Array.from({ length: 10_000 }, (_, i) => i % 10);
  const images = Uint8Array.from({ length: 10_000 * 784 }, (_, i) => (i * 7) & 255);
  // As `digits report` gathers them: per-step metrics of every run, predictions of the 20 best.
  data.steps = fakeSteps(data);
  const ranked = data.runs.filter((r) => r.validation).sort((a, b) => b.validation!.accuracy - a.validation!.accuracy);
  data.predictions = new Map(ranked.slice(0, DEFAULT_PREDICTION_RUNS).map((run, k) => [run.id, fakePredictions(labels, images, 90 + k)]));
  data.bestPredictions = data.predictions.get(bestRun(data.runs)!.id);

  const renders: number[] = [];
  let html = '';
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    html = await renderReportHtml(data);
    renders.push(performance.now() - t);
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-bench-report-'));
  const file = path.join(dir, 'report.html');
  fs.writeFileSync(file, html);
  const bytes = fs.statSync(file).size;
  const dataBytes = html.match(/<script type="application\/json" id="report-charts">([^<]*)<\/script>/)![1].length;

  const server = await chromium.launchServer({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const browser = await chromium.connect(server.wsEndpoint());
  const root = server.process().pid!;
  const opens: number[] = [];
  const cpus: number[] = [];
  const paints: number[] = [];
  const timings: Record<string, number>[] = [];
  let charts: Awaited<ReturnType<typeof chartChecks>> = [];
  try {
    for (let i = 0; i < OPENS; i++) {
      const page = await browser.newPage({ viewport: { width: 1360, height: 900 } });
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto('about:blank');
      const cpu0 = treeCpuSeconds(root);
      const t = performance.now();
      await page.goto(`file://${file}`);
      charts = await chartChecks(page);
      opens.push(performance.now() - t);
      paints.push(await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN));
      cpus.push((treeCpuSeconds(root) - cpu0) * 1000);
      timings.push(await page.evaluate(() => (window as unknown as { digitReport: { timings: Record<string, number> } }).digitReport.timings));
      if (errors.length) throw new Error(`page errors: ${errors.join('; ')}`);
      await page.close();
    }
  } finally {
    await browser.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }

  const result = {
    runs: RUNS,
    epochs: EPOCHS,
    bytes,
    megabytes: Number((bytes / 1e6).toFixed(2)),
    chartDataBytes: dataBytes,
    renderMs: Math.round(median(renders)),
    openMs: Math.round(median(opens)),
    openMsAll: opens.map(Math.round),
    openCpuMs: Math.round(median(cpus)),
    firstPaintMs: Math.round(median(paints)),
    goalOpenMs: 2000,
    charts: charts.map((c) => ({ id: c.id, element: c.element, items: c.items, embedMs: median(timings.map((t) => t[c.id])) })),
    node: process.version,
    cpus: os.cpus().length,
    loadAverage: os.loadavg().map((l) => Number(l.toFixed(2))),
    when: new Date().toISOString(),
  };
  console.log(`report of ${RUNS} runs x ${EPOCHS} epochs: ${result.megabytes} MB (chart data ${(dataBytes / 1e6).toFixed(2)} MB)`);
  console.log(`render in Node: ${result.renderMs} ms (median of 3)`);
  console.log(`open in headless Chromium until every chart is drawn: ${result.openMs} ms (median of ${OPENS}: ${result.openMsAll.join(', ')}; goal < 2000)`);
  const out = path.join(__dirname, 'results', 'report.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`embed time per chart (median ms): ${result.charts.map((c) => `${c.id} ${c.embedMs}`).join(', ')}`);
  console.log(`first contentful paint (header and runs table visible): ${result.firstPaintMs} ms (median)`);
  console.log(`CPU time of Chromium (all its processes) for that: ${result.openCpuMs} ms (median)`);
  console.log(`load average during the run: ${result.loadAverage.join(' ')} on ${result.cpus} CPUs (other jobs inflate wall times)`);
  console.log(`wrote ${path.relative(process.cwd(), out)}`);
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
