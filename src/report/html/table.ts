/** The sortable table of runs: key params, validation and test metrics, status, duration. */
import type { Run } from '../../tracking';
import { escapeHtml } from '../escape';
import { formatParam, rankRuns, shortParamNames, testAccuracy, valAccuracy } from '../runs';
import { duration, fixed, runSeconds, shortTime } from './format';
import { lazyTable, showAllButton, VISIBLE_ROWS } from './lazy';

/** At most this many varied params get their own column (the rest are in the charts). */
const MAX_PARAM_COLUMNS = 8;

interface Column {
  head: string;
  numeric?: boolean;
  /** Not a value (the tick box): not sorted, not in the CSV. */
  control?: boolean;
  title?: string;
  cell(run: Run): { html: string; sort?: string | number | null; className?: string };
}

function columns(runs: Run[], varied: string[]): Column[] {
  const names = shortParamNames(varied);
  const isNumeric = (key: string) => runs.every((r) => r.params[key] === undefined || r.params[key] === null || typeof r.params[key] === 'number');
  const num = (value: number | null | undefined, digits = 4) => ({ html: fixed(value, digits), sort: value ?? '' });
  return [
    {
      head: '',
      control: true,
      title: 'tick runs to compare them; the charts show the ticked runs',
      cell: (r) => ({ html: `<input type="checkbox" class="pick" aria-label="tick ${escapeHtml(r.name)}">`, className: 'pick' }),
    },
    {
      head: 'run',
      // The id sits in the tooltip (and the CSV), not in the cell: a 1,400 px page has no room for it.
      cell: (r) => ({ html: `<span title="${escapeHtml(`${r.name} · ${r.id} · created ${shortTime(r.createdAt)} UTC`)}">${escapeHtml(r.name)}</span>`, sort: r.name, className: 'name' }),
    },
    ...(new Set(runs.map((r) => r.experiment)).size > 1
      ? [{ head: 'experiment', cell: (r: Run) => ({ html: `<span title="${escapeHtml(r.experiment)}">${escapeHtml(r.experiment)}</span>`, sort: r.experiment, className: 'clip' }) }]
      : []),
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
    { head: 'tags / note', cell: (r) => ({ html: tagsAndNote(r), sort: r.note ?? '', className: 'wrap' }) },
  ];
}

/**
 * What the filter box searches in a row: name, id, experiment, status, each varied param as
 * `short=value` and `full.key=value`, tags and note (lower-cased by the page).
 */
function searchText(run: Run, names: Map<string, string>): string {
  // Only the varied params: the others are the same in every row, and 1,000 rows must stay small.
  const params = [...names].map(([key, name]) => `${name}=${formatParam(run.params[key])} ${key}=${formatParam(run.params[key])}`);
  const tags = Object.entries(run.tags).map(([k, v]) => (v ? `${k}=${v}` : k));
  return [run.name, run.id, run.experiment, run.status, ...params, ...tags, run.note ?? ''].join(' ');
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
  const names = shortParamNames(varied);
  const head = cols
    .map((c) => {
      const attrs = [
        c.numeric ? ' data-type="num" class="num"' : '',
        c.control ? ' data-nosort class="pick"' : '',
        c.title ? ` title="${escapeHtml(c.title)}"` : '',
      ].join('');
      return `<th${attrs}>${escapeHtml(c.head)}</th>`;
    })
    .join('');
  const sorted = rankRuns(runs); // best first, ties as everywhere else (the starred run is first)
  const rows = sorted
    .map((run) => {
      const cells = cols.map((c) => {
        const { html, sort, className } = c.cell(run);
        const cls = [className, c.numeric ? 'num' : ''].filter(Boolean).join(' ');
        const dataV = sort === undefined || sort === null ? '' : ` data-v="${escapeHtml(sort)}"`;
        return `<td${cls ? ` class="${cls}"` : ''}${dataV}>${html}</td>`;
      });
      return `<tr${run === best ? ' class="best"' : ''} data-run="${escapeHtml(run.id)}" data-search="${escapeHtml(searchText(run, names))}">${cells.join('')}</tr>`;
    });
  const table = lazyTable(`id="runs-table" class="sortable" data-total="${runs.length}"`, head, rows, VISIBLE_ROWS, 'runs-more');
  return `<div class="table-wrap">${table}</div>${showAllButton('runs-more', rows.length, VISIBLE_ROWS, 'runs')}`;
}
