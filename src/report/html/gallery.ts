/** The grid of the best run's misclassified test digits. */
import { escapeHtml } from '../escape';
import type { Mistake } from '../types';

/** HTML of the gallery: each digit with `true → predicted`, the predicted class's probability and the test index. */
export function galleryHtml(mistakes: Mistake[]): string {
  const items = mistakes.map((m) => {
    const pct = (p: number) => `${(p * 100).toFixed(1)}%`;
    const alt = `test image #${m.index}: true ${m.label}, predicted ${m.predicted} with ${pct(m.probability)}; the true class got ${pct(m.trueProbability)}`;
    const img = m.image ? `<img src="${escapeHtml(m.image)}" alt="${escapeHtml(alt)}">` : '';
    return (
      `<figure title="${escapeHtml(alt)}">${img}<figcaption><b>${m.label}</b> → <b>${m.predicted}</b>` +
      `<span class="p">${pct(m.probability)} · #${m.index}</span></figcaption></figure>`
    );
  });
  return `<div class="gallery">${items.join('')}</div>`;
}
