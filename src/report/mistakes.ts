/** The best run's misclassified test digits, for the report's gallery. */
import type { Mistake, TestPredictions } from './types';
import { encodeGrayPng } from '../data';

const SIDE = 28;
const CLASSES = 10;

/**
 * Misclassified test images, most confidently wrong first, at most `limit` of them, each with a
 * PNG data URL of the digit when `predictions.images` is given.
 * @example findMistakes({ probs, labels: mnist.test.labels, images: mnist.test.images }, 48)
 */
export function findMistakes(predictions: TestPredictions, limit = 60): Mistake[] {
  const { images } = predictions;
  if (images && images.length < predictions.labels.length * SIDE * SIDE) {
    throw new Error(`findMistakes: ${images.length} pixels are fewer than ${predictions.labels.length} images of ${SIDE}x${SIDE}`);
  }
  return listMistakes(predictions)
    .slice(0, limit)
    .map((m) => ({
      ...m,
      image: images ? digitDataUrl(images.subarray(m.index * SIDE * SIDE, (m.index + 1) * SIDE * SIDE)) : null,
    }));
}

/** Every misclassified test image (without pictures), most confidently wrong first. */
export function listMistakes(predictions: TestPredictions): Omit<Mistake, 'image'>[] {
  const { probs, labels } = predictions;
  const count = labels.length;
  if (probs.length !== count * CLASSES) {
    throw new Error(`listMistakes: ${probs.length} probabilities do not fit ${count} labels x ${CLASSES} classes`);
  }
  const wrong: Omit<Mistake, 'image'>[] = [];
  for (let i = 0; i < count; i++) {
    const row = probs.subarray(i * CLASSES, (i + 1) * CLASSES);
    let predicted = 0;
    for (let c = 1; c < CLASSES; c++) if (row[c] > row[predicted]) predicted = c;
    if (predicted !== labels[i]) {
      wrong.push({ index: i, label: labels[i], predicted, probability: row[predicted], trueProbability: row[labels[i]] });
    }
  }
  return wrong.sort((a, b) => b.probability - a.probability || a.index - b.index);
}

/** A 28 x 28 digit as a PNG data URL for an <img> tag. */
function digitDataUrl(pixels: Uint8Array): string {
  return `data:image/png;base64,${digitPngBase64(pixels, 0)}`;
}

/** Test image `index` of `images` (28 x 28 bytes each) as base64 PNG, without the data-URL prefix. */
export function digitPngBase64(images: Uint8Array, index: number): string {
  return encodeGrayPng(images.subarray(index * SIDE * SIDE, (index + 1) * SIDE * SIDE), SIDE, SIDE).toString('base64');
}
