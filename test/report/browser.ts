/** Headless Chromium for report tests and the report benchmark (Debian's /usr/bin/chromium). */
import fs from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Launches headless Chromium, or explains how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` (or set CHROMIUM_PATH)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

export interface ChartCheck {
  id: string;
  items: number; // scenegraph items drawn by non-group marks
  element: 'svg' | 'canvas' | null;
}

/**
 * Counts what each embedded chart drew: walks every Vega view's scenegraph and counts the items of
 * non-group marks (works for both the svg and the canvas renderer).
 */
export async function chartChecks(page: Page): Promise<ChartCheck[]> {
  await page.waitForFunction(() => document.body.getAttribute('data-charts-ready') === 'true', null, { timeout: 30_000 });
  return page.evaluate(() => {
    type Node = { marktype?: string; items?: Node[] };
    const count = (node: Node): number =>
      (node.items ?? []).reduce((sum, child) => sum + (child.marktype && child.marktype !== 'group' ? (child.items ?? []).length : 0) + count(child), 0);
    const state = (window as unknown as { digitReport: { views: Record<string, { scenegraph(): { root: Node } }> } }).digitReport;
    return Array.from(document.querySelectorAll('.vega-chart')).map((el) => {
      const id = el.id.replace(/^chart-/, '');
      const view = state.views[id];
      const element = el.querySelector('svg.marks') ? 'svg' : el.querySelector('canvas') ? 'canvas' : null;
      return { id, items: view ? count(view.scenegraph().root) : 0, element } as const;
    });
  });
}
