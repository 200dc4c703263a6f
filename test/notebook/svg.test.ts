import assert from 'node:assert/strict';
import { classBalanceSpec, classIntensitySpec } from '../../src/notebook/specs';
import { vegaLiteSvg } from '../../src/notebook/svg';
import { barDigits } from './fixtures';

/** The bars vega drew: each bar mark is one <path> inside the mark group of role "mark". */
function barCount(svg: string): number {
  const group = /<g class="mark-rect role-mark[^"]*"[^>]*>([\s\S]*?)<\/g>/.exec(svg);
  assert.ok(group, 'a group of rect marks');
  return (group[1].match(/<path /g) ?? []).length;
}

describe('notebook', () => {
  describe('vegaLiteSvg', () => {
    it('renders the class balance as one bar per class and split, with the title', async () => {
      const svg = await vegaLiteSvg(classBalanceSpec({ train: barDigits(30), test: barDigits(10) }));
      assert.match(svg, /^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
      assert.match(svg, />Class balance</);
      assert.equal(barCount(svg), 20);
    });

    it('renders the ink chart as one bar per class', async () => {
      const svg = await vegaLiteSvg(classIntensitySpec(barDigits(30)));
      assert.match(svg, />Ink per class</);
      assert.equal(barCount(svg), 10);
    });

    it('rejects a spec vega-lite cannot compile instead of drawing nothing', async () => {
      await assert.rejects(vegaLiteSvg({ mark: 'nonsense' } as never));
    });
  });
});
