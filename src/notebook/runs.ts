/** Runs from the tracking store as notebook HTML: a compact table and the mistakes gallery. */
import { escapeHtml } from '../report';
import { galleryHtml } from '../report';
import { formatParam, shortParamNames, testAccuracy, valAccuracy, variedParams } from '../report';
import type { Mistake } from '../report';
import { rankRuns, type Run } from '../tracking';

const CELL = 'padding:2px 8px;border-bottom:1px solid #e5e5e5;';

/**
 * An HTML table of runs, best first (the one ranking: validation accuracy, ties documented in tracking/ranking), with the hyperparameters that differ
 * between them (at most `maxParams`), validation and test accuracy, epochs and training time.
 * @example tslab.display.html(runsTableHtml(store.listRuns({ limit: 20 })));
 */
export function runsTableHtml(runs: Run[], maxParams = 6): string {
  const varied = variedParams(runs).slice(0, maxParams);
  const names = shortParamNames(varied);
  const pct = (v: number | null | undefined) => (v === null || v === undefined ? '—' : `${(v * 100).toFixed(2)}%`);
  const heads = ['run', 'id', 'experiment', 'status', ...varied.map((k) => names.get(k) ?? k), 'val acc', 'test acc', 'epochs', 'train s'];
  const sorted = rankRuns(runs);
  const rows = sorted.map((r) =>
    [
      r.name,
      r.id.slice(0, 8),
      r.experiment,
      r.status,
      ...varied.map((k) => formatParam(r.params[k])),
      pct(valAccuracy(r)),
      pct(testAccuracy(r)),
      r.summary ? String(r.summary.epochs) : '—',
      r.summary ? r.summary.trainSeconds.toFixed(1) : '—',
    ]
      .map((v, i) => `<td style="${CELL}${i >= heads.length - 4 ? 'text-align:right;' : ''}">${escapeHtml(v)}</td>`)
      .join(''),
  );
  const head = heads.map((h) => `<th style="${CELL}text-align:left;">${escapeHtml(h)}</th>`).join('');
  return (
    `<table style="border-collapse:collapse;font-size:12px;font-variant-numeric:tabular-nums;">` +
    `<thead><tr>${head}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table>`
  );
}

const GALLERY_STYLE =
  '<style>.dl-mistakes .gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(86px,1fr));gap:8px}' +
  '.dl-mistakes figure{margin:0;border:1px solid #ddd;border-radius:6px;padding:6px;text-align:center}' +
  '.dl-mistakes img{width:56px;height:56px;image-rendering:pixelated;display:block;margin:0 auto 4px}' +
  '.dl-mistakes figcaption{font-size:12px}.dl-mistakes .p{color:#666;font-size:11px;display:block}</style>';

/**
 * The report's mistakes gallery (true → predicted, confidence, test index) as notebook HTML.
 * @example tslab.display.html(mistakesGalleryHtml(findMistakes(predictions, 40)));
 */
export function mistakesGalleryHtml(mistakes: Mistake[]): string {
  if (mistakes.length === 0) return '<p>No mistakes on the evaluated test images.</p>';
  return `${GALLERY_STYLE}<div class="dl-mistakes">${galleryHtml(mistakes)}</div>`;
}
