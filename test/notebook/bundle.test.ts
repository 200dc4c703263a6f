import assert from 'node:assert/strict';
import sharp from 'sharp';
import { chartBundle, htmlBundle, textBundle, VEGA_LITE_MIME, VEGA_LITE_V5_SCHEMA } from '../../src/notebook/bundle';
import { classBalanceSpec } from '../../src/notebook/specs';
import { barDigits } from './fixtures';

describe('notebook', () => {
  describe('chartBundle', () => {
    const spec = classBalanceSpec({ train: barDigits(30), test: barDigits(10) });

    it('carries the spec under the Vega-Lite v5 MIME type with a v5 $schema, leaving the caller’s spec alone', async () => {
      const bundle = await chartBundle(spec);
      assert.equal(VEGA_LITE_MIME, 'application/vnd.vegalite.v5+json');
      const sent = bundle.data[VEGA_LITE_MIME] as Record<string, unknown>;
      assert.equal(sent.$schema, VEGA_LITE_V5_SCHEMA);
      assert.deepEqual({ ...sent, $schema: spec.$schema }, spec);
      assert.match(String(spec.$schema), /vega-lite\/v6/);
    });

    it('has a PNG of the drawn chart (not blank), sized for 1x display, and no SVG or HTML that an export would prefer', async () => {
      const bundle = await chartBundle(spec);
      assert.deepEqual(Object.keys(bundle.data).sort(), [VEGA_LITE_MIME, 'image/png', 'text/plain'].sort());
      const png = Buffer.from(bundle.data['image/png'] as string, 'base64');
      const meta = await sharp(png).metadata();
      assert.equal(meta.format, 'png');
      assert.deepEqual(bundle.metadata['image/png'], { width: meta.width! / 2, height: meta.height! / 2 });
      assert.ok(meta.width! > 600 && meta.height! > 300, `${meta.width} x ${meta.height}`);
      const { channels } = await sharp(png).stats();
      // White background with coloured bars and dark text: the channels vary a lot.
      assert.ok(channels.slice(0, 3).every((c) => c.min < 100 && c.max > 240), 'ink on a white background');
    });

    it('renders at the scale asked for', async () => {
      const one = await chartBundle(spec, { scale: 1 });
      const meta = await sharp(Buffer.from(one.data['image/png'] as string, 'base64')).metadata();
      assert.deepEqual(one.metadata['image/png'], { width: meta.width, height: meta.height });
    });

    it('names the chart in its text form, also when the title is a param the chart can change', async () => {
      assert.equal((await chartBundle(spec)).data['text/plain'], '[chart: Class balance]');
      const retitled = { ...spec, params: [{ name: 'caption', value: 'Run A' }], title: { text: { expr: 'caption' }, subtitle: 's' } };
      assert.equal((await chartBundle(retitled as never)).data['text/plain'], '[chart: Run A]');
    });

    it('rejects a spec vega-lite cannot compile', async () => {
      await assert.rejects(chartBundle({ mark: 'nonsense' } as never));
    });
  });

  describe('textBundle and htmlBundle', () => {
    it('wrap text and HTML (HTML with a plain-text stand-in)', () => {
      assert.deepEqual(textBundle('hi'), { data: { 'text/plain': 'hi' }, metadata: {} });
      assert.deepEqual(htmlBundle('<b>x</b>').data, { 'text/html': '<b>x</b>', 'text/plain': '[html]' });
    });
  });
});
