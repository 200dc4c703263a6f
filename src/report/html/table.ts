/** The sortable table of runs: key params, validation and test metrics, status, duration. */
import type { Run } from '../../tracking';
import { escapeHtml } from '../escape';
import { formatParam, shortParamNames, testAccuracy, valAccuracy } from '../runs';
import { duration, fixed, runSeconds, shortTime } from './format';
import { lazyTable, showAllButton, VISIBLE_ROWS } from './lazy';

/** At most this many varied params get their own column (the rest are in the charts). */
const MAX_PARAM_COLUMNS = 8;

interface Column {
  head: string;
  numeric?: boolean;
  title?: string;
  cell(run: Run): { html: string; sort?: string | number | null; className?: string };
}

function columns(runs: Run[], varied: string[]): Column[] {
  const names = shortParamNames(varied);
  const isNumeric = (key: string) => runs.every((r) => r.params[key] === undefined || r.params[key] === null || typeof r.params[key] === 'number');
  const text = (value: unknown) => ({ html: escapeHtml(value) });
  const num = (value: number | null | undefined, digits = 4) => ({ html: fixed(value, digits), sort: value ?? '' });
  return [
    {
      head: 'run',
      cell: (r) => ({ html: `<span title="${escapeHtml(r.name)}">${escapeHtml(r.name)}</span> <span class="id">${escapeHtml(r.id)}</span>`, sort: r.name, className: 'name' }),
    },
    { head: 'experiment', cell: (r) => text(r.experiment) },
    { head: 'status', cell: (r) => ({ html: `<span class="status ${escapeHtml(r.status)}">${escapeHtml(r.status)}</span>`, sort: r.status }) },
    ...varied.slice(0, MAX_PARAM_COLUMNS).map((key): Column => ({
      head: names.get(key)!,
      title: key,
      numeric: isNumeric(key),
      cell: (r) => {
        const v = r.params[key];
        return { html: escapeHtml(formatParam(v)), sort: typeof v === 'number' ? v : formatParam(v) };
      },
    })),
    { head: 'val acc', numeric: true, title: 'validation accuracy (chooses the best run)', cell: (r) => num(valAccuracy(r)) },
    { head: 'val loss', numeric: true, cell: (r) => num(r.validation?.loss ?? r.summary?.bestValLoss) },
    { head: 'test acc', numeric: true, title: 'test accuracy (reported, never used to choose)', cell: (r) => num(testAccuracy(r)) },
    { head: 'test F1', numeric: true, title: 'macro-averaged F1 on the test set', cell: (r) => num(r.test?.macro.f1) },
    { head: 'epochs', numeric: true, cell: (r) => num(r.summary?.epochs, 0) },
    { head: 'duration', numeric: true, cell: (r) => ({ html: duration(runSeconds(r)), sort: runSeconds(r) ?? '' }) },
    { head: 'created', cell: (r) => ({ html: escapeHtml(shortTime(r.createdAt)), sort: r.createdAt }) },
    { head: 'tags / note', cell: (r) => ({ html: tagsAndNote(r), sort: r.note ?? '', className: 'wrap' }) },
  ];
}

function tagsAndNote(run: Run): string {
  const tags = Object.entries(run.tags).map(([k, v]) => `<span class="tag">${escapeHtml(k)}${v ? `=${escapeHtml(v)}` : ''}</span>`);
  const note = run.note ? ` ${escapeHtml(run.note)}` : '';
  const error = run.error ? ` <span class="chart-error">${escapeHtml(run.error.split('\n')[0])}</span>` : '';
  return tags.join('') + note + error;
}

/**
 * HTML of the runs table, best validation accuracy first, the best run highlighted; rows past the
 * first VISIBLE_ROWS wait as raw text (see lazy.ts). Every user string is escaped; `data-v` attributes
 * carry the values the inline script sorts by.
 */
export function runsTableHtml(runs: Run[], best: Run | null, varied: string[]): string {
  const cols = columns(runs, varied);
  const head = cols
    .map((c) => {
      const attrs = [c.numeric ? ' data-type="num" class="num"' : '', c.title ? ` title="${escapeHtml(c.title)}"` : ''].join('');
      return `<th${attrs}>${escapeHtml(c.head)}</th>`;
    })
    .join('');
  const sorted = [...runs].sort((a, b) => (valAccuracy(b) ?? -1) - (valAccuracy(a) ?? -1));
  const rows = sorted
    .map((run) => {
      const cells = cols.map((c) => {
        const { html, sort, className } = c.cell(run);
        const cls = [className, c.numeric ? 'num' : ''].filter(Boolean).join(' ');
        const dataV = sort === undefined || sort === null ? '' : ` data-v="${escapeHtml(sort)}"`;
        return `<td${cls ? ` class="${cls}"` : ''}${dataV}>${html}</td>`;
      });
      return `<tr${run === best ? ' class="best"' : ''} data-run="${escapeHtml(run.id)}">${cells.join('')}</tr>`;
    });
  const table = lazyTable('id="runs-table" class="sortable"', head, rows, VISIBLE_ROWS, 'runs-more');
  return `<div class="table-wrap">${table}</div>${showAllButton('runs-more', rows.length, VISIBLE_ROWS, 'runs')}`;
}
