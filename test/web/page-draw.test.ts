import { strict as assert } from 'node:assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { selectBackend } from '../../src/engine';
import { startServer } from '../../src/web/server';
import { folderCatalog } from '../../src/web/runs';
import { CHROMIUM, launchChromium } from '../report/browser';
import { saveTinyRun } from './fixtures';

/** Draws a "7" on the pad with the mouse: the top bar, then the diagonal. */
async function drawSeven(page: Page): Promise<void> {
  const box = (await page.locator('#pad').boundingBox())!;
  const at = (fx: number, fy: number): [number, number] => [box.x + box.width * fx, box.y + box.height * fy];
  await page.mouse.move(...at(0.28, 0.22));
  await page.mouse.down();
  for (const [fx, fy] of [[0.45, 0.22], [0.72, 0.22], [0.62, 0.45], [0.52, 0.65], [0.45, 0.82]]) await page.mouse.move(...at(fx, fy), { steps: 6 });
  await page.mouse.up();
}

describe('web/page-script', () => describe('drawing to an answer, in headless Chromium', function () {
  if (!fs.existsSync(CHROMIUM)) {
    it(`skipped: the browser test needs Chromium at ${CHROMIUM} (Debian: apt-get install -y chromium)`);
    return;
  }

  let runsDir: string;
  let server: Awaited<ReturnType<typeof startServer>>;
  let browser: Browser;

  before(async function () {
    this.timeout(120_000);
    await selectBackend();
    runsDir = fs.mkdtempSync(path.join(os.tmpdir(), 'digits-page-draw-'));
    await saveTinyRun(runsDir, 'tiny-a', 'good', 'tiny dense A');
    fs.cpSync(path.join(runsDir, 'tiny-a'), path.join(runsDir, 'tiny-unsure'), { recursive: true });
    fs.writeFileSync(path.join(runsDir, 'tiny-unsure', 'calibration.json'), JSON.stringify({ method: 'temperature', temperature: 1.5, unsureBelow: 0.9999 }));
    server = await startServer({ catalog: folderCatalog(runsDir), host: '127.0.0.1', port: 0, defaultRun: 'tiny-a' });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(runsDir, { recursive: true, force: true });
  });

  it('sends the pad\'s pixels as JSON the moment the pointer lifts (no PNG encoding, no delay)', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 860 } });
    try {
      await page.goto(server.url);
      await page.waitForSelector('#run:not([disabled])');
      const request = page.waitForRequest((r) => r.url().includes('/api/predict'));
      await drawSeven(page);
      const sent = await request;
      assert.equal(sent.headers()['content-type'], 'application/json');
      const body = JSON.parse(sent.postData() ?? '{}');
      assert.equal(body.width, 112);
      assert.equal(body.pixels.length, 112 * 112);
      assert.ok(body.pixels.some((v: number) => v < 0.5), 'the ink is in the pixels');
      await page.waitForFunction(() => document.getElementById('digit')?.textContent === '7');
    } finally {
      await page.close();
    }
  });

  it('on a phone, scales the brush with the pad and shows the answer and all ten bars without scrolling', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true });
    try {
      await page.goto(server.url);
      await page.waitForSelector('#run:not([disabled])');
      const pad = await page.$eval('#pad', (c) => {
        const canvas = c as HTMLCanvasElement;
        return { backing: canvas.width, css: canvas.getBoundingClientRect().width, brush: canvas.getContext('2d')!.lineWidth };
      });
      assert.equal(pad.backing, Math.round(pad.css * 3), 'the canvas holds the pixels it shows');
      assert.ok(Math.abs(pad.brush - pad.backing / 16) < 1e-6, `brush ${pad.brush} for a ${pad.backing}-pixel pad`);
      await drawSeven(page);
      await page.waitForFunction(() => document.getElementById('digit')?.textContent !== '–');
      const layout = await page.evaluate(() => ({
        height: window.innerHeight,
        scrolled: window.scrollY,
        digit: document.getElementById('digit')!.getBoundingClientRect().bottom,
        lastBar: document.querySelector('#bars li:last-child')!.getBoundingClientRect().bottom,
      }));
      assert.equal(layout.scrolled, 0);
      assert.ok(layout.digit <= layout.height, `the digit ends at ${layout.digit}px of ${layout.height}`);
      assert.ok(layout.lastBar <= layout.height, `the last bar ends at ${layout.lastBar}px of ${layout.height}`);
    } finally {
      await page.close();
    }
  });

  it('marks an answer below the run\'s confidence threshold as unsure', async () => {
    const page = await browser.newPage({ viewport: { width: 1000, height: 860 } });
    try {
      await page.goto(server.url);
      await page.waitForSelector('#run:not([disabled])');
      await page.selectOption('#run', 'tiny-unsure');
      const answered = page.waitForResponse((r) => r.url().includes('/api/predict'));
      await drawSeven(page);
      const data = await (await answered).json();
      assert.equal(data.unsure, true);
      await page.waitForSelector('#unsure:not([hidden])');
      assert.match((await page.textContent('#unsure')) ?? '', /^Unsure/);
      assert.match((await page.textContent('#confidence')) ?? '', /calibrated/);
    } finally {
      await page.close();
    }
  });
}));
