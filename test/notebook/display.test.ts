import assert from 'node:assert/strict';
import { VEGA_LITE_MIME } from '../../src/notebook/bundle';
import { newOutput, showChart, tslabSink, type DisplaySink } from '../../src/notebook/display';
import { classIntensitySpec } from '../../src/notebook/specs';
import { barDigits } from './fixtures';

type Message = Parameters<DisplaySink>[0];

/** Records what would go to Jupyter. */
function recorder(): { sink: DisplaySink; sent: { message: Message; update: boolean }[] } {
  const sent: { message: Message; update: boolean }[] = [];
  return { sent, sink: (message, update) => sent.push({ message, update }) };
}

describe('notebook', () => {
  describe('newOutput', () => {
    it('shows once, then updates the same display in place', () => {
      const { sink, sent } = recorder();
      const out = newOutput(sink);
      out.text('first');
      out.html('<i>second</i>');
      assert.deepEqual(sent.map((s) => s.update), [false, true]);
      assert.equal(sent[0].message.transient.display_id, sent[1].message.transient.display_id);
      assert.deepEqual(sent[0].message.data, { 'text/plain': 'first' });
      assert.equal(sent[1].message.data['text/html'], '<i>second</i>');
    });

    it('gives each output its own display id', () => {
      const { sink, sent } = recorder();
      newOutput(sink).text('a');
      newOutput(sink).text('b');
      assert.notEqual(sent[0].message.transient.display_id, sent[1].message.transient.display_id);
    });
  });

  describe('showChart', () => {
    it('sends one whole bundle: the spec and the PNG together, with the PNG size', async () => {
      const { sink, sent } = recorder();
      await showChart(classIntensitySpec(barDigits(20)), { sink });
      assert.equal(sent.length, 1);
      assert.ok(sent[0].message.data[VEGA_LITE_MIME]);
      assert.ok(sent[0].message.data['image/png']);
      assert.ok(sent[0].message.metadata['image/png']);
    });
  });

  describe('tslabSink', () => {
    it('says plainly that it needs a running tslab cell', () => {
      assert.throws(() => tslabSink()({ data: {}, metadata: {}, transient: { display_id: 'x' } }, false), /no notebook cell is running/);
    });
  });
});
