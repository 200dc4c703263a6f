import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { selectBackend } from '../../src/engine';
import { startServer } from '../../src/web/server';
import { folderCatalog } from '../../src/web/runs';
import { CHROMIUM, launchChromium } from '../report/browser';
import { digitImage, mnistSample, saveTinyRun } from './fixtures';

const OUTPUT = path.join(__dirname, '..', '..', 'test-output');

describe('web/page', () => describe('the page, driven in headless Chromium', function () {
  if (!fs.existsSync(CHROMIUM)) {
    it(`skipped: the browser test needs Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium)`);
    return;
  }

  let runsDir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;
  let page: Page;
  const problems: string[] = [];

  before(async function () {
    this.timeout(120_000);
    await selectBackend();
    runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-page-'));
    await saveTinyRun(runsDir, 'tiny-a', 'good', 'tiny dense A');
    await saveTinyRun(runsDir, 'tiny-b', 'weak', 'tiny dense B');
    server = await startServer({ catalog: folderCatalog(runsDir), host: '127.0.0.1', port: 0 });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1000, height: 860 } });
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`));
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()}`));
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(runsDir, { recursive: true, force: true });
  });

  /** Waits for the next /api/predict answer and for the page to show it. */
  async function nextPrediction(action: () => Promise<void>): Promise<{ digit: number; shown: string }> {
    const response = page.waitForResponse((r) => r.url().includes('/api/predict'));
    await action();
    const data = await (await response).json();
    await page.waitForFunction((d) => document.getElementById('digit')?.textContent === String(d), data.digit);
    return { digit: data.digit, shown: (await page.textContent('#digit')) ?? '' };
  }

  it('lists the finished runs in the model selector', async () => {
    await page.goto(server.url);
    await page.waitForSelector('#run:not([disabled])');
    const options = await page.$$eval('#run option', (os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent]));
    assert.deepEqual(options.map((o) => o[0]).sort(), ['tiny-a', 'tiny-b']);
    assert.equal(await page.$eval('#run', (s) => (s as HTMLSelectElement).value), 'tiny-a');
    assert.match(String(options.find((o) => o[0] === 'tiny-a')?.[1]), /tiny dense A — test \d+(\.\d)?%/);
  });

  it('predicts a digit drawn on the canvas with the mouse', async () => {
    const box = (await page.locator('#pad').boundingBox())!;
    const at = (fx: number, fy: number): [number, number] => [box.x + box.width * fx, box.y + box.height * fy];
    const { digit } = await nextPrediction(async () => {
      // A "7": the top bar, then the long diagonal stroke.
      await page.mouse.move(...at(0.28, 0.22));
      await page.mouse.down();
      for (const [fx, fy] of [[0.45, 0.22], [0.72, 0.22], [0.62, 0.45], [0.52, 0.65], [0.45, 0.82]]) await page.mouse.move(...at(fx, fy), { steps: 6 });
      await page.mouse.up();
    });
    assert.equal(digit, 7);
    assert.equal(await page.locator('#bars li').count(), 10);
    assert.match((await page.getAttribute('#input', 'src')) ?? '', /^data:image\/png;base64,/);
    assert.match((await page.textContent('#run-note')) ?? '', /tiny dense A/);
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'web-page-drawn.png'), fullPage: true });
  });

  it('predicts an uploaded image file and clears', async () => {
    const sample = mnistSample('test', 4);
    const file = path.join(runsDir, 'upload-two.png');
    fs.writeFileSync(file, await digitImage(sample, 1, { scale: 8, invert: true })); // a "2", dark on white
    const { digit } = await nextPrediction(() => page.setInputFiles('#file', file));
    assert.equal(digit, sample.labels[1]);
    fs.mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: path.join(OUTPUT, 'web-page.png'), fullPage: true });
    await page.click('#clear');
    assert.equal(await page.textContent('#digit'), '–');
  });

  it('re-predicts with the run chosen in the selector, and shows API errors', async () => {
    await nextPrediction(async () => {
      await page.setInputFiles('#file', path.join(runsDir, 'upload-two.png'));
    });
    await nextPrediction(() => page.selectOption('#run', 'tiny-b').then(() => undefined));
    assert.match((await page.textContent('#run-note')) ?? '', /tiny dense B/);
    const blank = path.join(runsDir, 'blank.txt');
    fs.writeFileSync(blank, 'not an image');
    const response = page.waitForResponse((r) => r.url().includes('/api/predict'));
    await page.setInputFiles('#file', blank);
    assert.equal((await response).status(), 415);
    await page.waitForSelector('#error:not([hidden])');
    assert.match((await page.textContent('#error')) ?? '', /not an image/);
    problems.splice(0, problems.length, ...problems.filter((p) => !/415/.test(p))); // the 415 itself is expected
  });

  it('loads with no console errors (the CSP allows everything the page uses)', () => {
    assert.deepEqual(problems, []);
  });
}));
