import { strict as assert } from 'node:assert';
import sharp from 'sharp';
import { findMistakes, listMistakes } from '../../src/report/mistakes';
import { fakePredictions } from './fixtures';

/** `count` labels 0..9 repeating and images whose every pixel is the image's index (mod 256). */
function digits(count: number) {
  const labels = Uint8Array.from({ length: count }, (_, i) => i % 10);
  const images = new Uint8Array(count * 784);
  for (let i = 0; i < count; i++) images.fill(i % 256, i * 784, (i + 1) * 784);
  return { labels, images };
}

describe('report/mistakes', () => {
  describe('listMistakes', () => {
    it('finds exactly the arg-max errors, most confident first', () => {
      const { labels } = digits(100);
      const found = listMistakes(fakePredictions(labels, undefined, 10)); // images 5, 15, ..., 95 are wrong
      assert.deepEqual([...found.map((m) => m.index)].sort((a, b) => a - b), [5, 15, 25, 35, 45, 55, 65, 75, 85, 95]);
      assert.ok(found.every((m, i) => i === 0 || m.probability <= found[i - 1].probability));
      assert.ok(found.every((m) => m.predicted !== m.label && m.label === labels[m.index]));
    });

    it('rejects probabilities that do not fit the labels', () => {
      assert.throws(() => listMistakes({ probs: new Float32Array(25), labels: new Uint8Array(3) }), /25 probabilities do not fit 3 labels/);
    });
  });

  describe('findMistakes', () => {
    it('returns at most `limit` mistakes', () => {
      const { labels } = digits(100);
      assert.equal(findMistakes(fakePredictions(labels, undefined, 10), 4).length, 4);
    });

    it('renders each mistake as a 28x28 PNG of its own test image', async () => {
      const { labels, images } = digits(40);
      const [first] = findMistakes(fakePredictions(labels, images, 10), 1);
      assert.match(first.image!, /^data:image\/png;base64,/);
      const png = Buffer.from(first.image!.split(',')[1], 'base64');
      const meta = await sharp(png).metadata();
      assert.deepEqual([meta.width, meta.height, meta.channels], [28, 28, 1]);
      const data = await sharp(png).toColourspace('b-w').raw().toBuffer();
      assert.equal(data.length, 784);
      assert.ok(data.every((v) => v === first.index), `pixels of image #${first.index}`);
    });

    it('gives no picture without images', () => {
      const { labels } = digits(20);
      assert.equal(findMistakes(fakePredictions(labels, undefined, 10))[0].image, null);
    });
  });
});
