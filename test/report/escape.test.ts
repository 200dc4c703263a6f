import { strict as assert } from 'node:assert';
import { escapeHtml, jsonForScript } from '../../src/report/escape';
import { XSS_NAME } from './fixtures';

describe('report/escape', () => {
  describe('escapeHtml', () => {
    it('escapes the five HTML metacharacters', () => {
      assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
    });

    it('leaves no tag of the XSS run name intact', () => {
      assert.equal(escapeHtml(XSS_NAME), '&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;');
    });

    it('prints null and undefined as empty text', () => {
      assert.equal(escapeHtml(null), '');
      assert.equal(escapeHtml(undefined), '');
      assert.equal(escapeHtml(0), '0');
    });
  });

  describe('jsonForScript', () => {
    const nasty = { name: XSS_NAME, note: '<!-- <script>', amp: 'a&b', sep: 'x\u2028y\u2029z', nested: [{ '</script>': 1 }] };

    it('contains no < > or & that could end the script element', () => {
      const json = jsonForScript(nasty);
      assert.doesNotMatch(json, /[<>&]/);
      assert.doesNotMatch(json, /[\u2028\u2029]/);
    });

    it('reads back to the same value with JSON.parse', () => {
      assert.deepEqual(JSON.parse(jsonForScript(nasty)), nasty);
    });
  });
});
