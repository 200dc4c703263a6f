/** Each run's reproducibility facts: commit, dirty tree, seed, backend, versions, data hash. */
import type { Run } from '../../tracking';
import { escapeHtml } from '../escape';
import { lazyTable } from './lazy';

function versions(run: Run): string {
  const entries = Object.entries(run.provenance?.versions ?? {});
  return entries.map(([k, v]) => `<span class="tag">${escapeHtml(k)} ${escapeHtml(v)}</span>`).join('');
}

function dirty(value: boolean | null | undefined): string {
  if (value === null || value === undefined) return '';
  return value ? '<span class="status failed">dirty</span>' : 'clean';
}

function code(value: string | null | undefined, chars = 12): string {
  return value ? `<span class="id" title="${escapeHtml(value)}">${escapeHtml(value.slice(0, chars))}</span>` : '';
}

/** HTML of a collapsible section with one row of facts per run (closed; rows added when opened). */
export function provenanceHtml(runs: Run[]): string {
  const rows = runs.map((run) => {
      const p = run.provenance;
      return (
        `<tr><td class="name">${escapeHtml(run.name)} <span class="id">${escapeHtml(run.id)}</span></td>` +
        `<td>${code(p?.gitCommit)}</td><td>${dirty(p?.gitDirty)}</td><td class="num">${escapeHtml(run.seed)}</td>` +
        `<td>${escapeHtml(p?.backend ?? '')}</td><td class="wrap">${versions(run)}</td>` +
        `<td>${code(p?.dataHash)}</td><td>${code(p?.lockfileHash)}</td><td>${escapeHtml(p?.host ?? '')}</td>` +
        `<td>${escapeHtml(run.artifactDir ?? '')}</td></tr>`
      );
  });
  const head =
    '<th>run</th><th>commit</th><th>tree</th><th class="num" data-type="num">seed</th><th>backend</th>' +
    '<th>versions</th><th>data hash</th><th>lockfile hash</th><th>host</th><th>artifacts</th>';
  return (
    `<details class="repro" id="reproducibility" data-more="repro-more"><summary>Reproducibility facts of ${runs.length} run${runs.length === 1 ? '' : 's'}</summary>` +
    `<div class="table-wrap">${lazyTable('class="sortable"', head, rows, 0, 'repro-more')}</div></details>`
  );
}
