/**
 * Runs as rows for `digits export`: the run's fields and metrics under the names `--where` and
 * `--sort` use (val_accuracy, train_seconds, ...), its params under `param.<key>` and its tags
 * under `tag.<key>`. CSV is flat with one column per name (RFC 4180 quoting, empty for missing);
 * JSON Lines nests `metrics`, `params` and `tags` and carries `schemaVersion` on every line.
 */
import type { Run } from '../../tracking';
import { csvCell } from './csv';
import { jsonLine } from './json';

type Cell = string | number | boolean | null;

/** The run's own fields, then its metrics, in column order. */
const FIELDS: [string, (r: Run) => Cell][] = [
  ['id', (r) => r.id],
  ['experiment', (r) => r.experiment],
  ['name', (r) => r.name],
  ['status', (r) => r.status],
  ['seed', (r) => r.seed],
  ['trial_hash', (r) => r.trialHash],
  ['created_at', (r) => r.createdAt],
  ['started_at', (r) => r.startedAt],
  ['ended_at', (r) => r.endedAt],
  ['error', (r) => r.error],
];

const METRICS: [string, (r: Run) => Cell][] = [
  ['val_accuracy', (r) => r.validation?.accuracy ?? null],
  ['val_loss', (r) => r.validation?.loss ?? null],
  ['val_macro_f1', (r) => r.validation?.macro.f1 ?? null],
  ['test_accuracy', (r) => r.test?.accuracy ?? null],
  ['test_loss', (r) => r.test?.loss ?? null],
  ['test_macro_f1', (r) => r.test?.macro.f1 ?? null],
  ['val_ece', (r) => r.validation?.ece ?? null],
  ['test_ece', (r) => r.test?.ece ?? null],
  ['temperature', (r) => r.calibration?.temperature ?? null],
  ['test_ece_calibrated', (r) => r.calibration?.testEce ?? null],
  ['epochs', (r) => r.summary?.epochs ?? null],
  ['best_epoch', (r) => r.summary?.bestEpoch ?? null],
  ['best_val_accuracy', (r) => r.summary?.bestValAccuracy ?? null],
  ['train_seconds', (r) => r.summary?.trainSeconds ?? null],
  ['images_per_sec', (r) => r.summary?.imagesPerSec ?? null],
  ['peak_rss_mb', (r) => r.summary?.peakRssMb ?? null],
];

/** CSV of the runs: the header names every field, metric, param (sorted) and tag (sorted) any run has. */
export function runsCsv(runs: Run[]): string {
  const params = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const tags = [...new Set(runs.flatMap((r) => Object.keys(r.tags)))].sort();
  const header = [...FIELDS, ...METRICS].map(([name]) => name).concat(params.map((k) => `param.${k}`), tags.map((k) => `tag.${k}`));
  const row = (r: Run) =>
    [...FIELDS, ...METRICS].map(([, get]) => get(r)).concat(params.map((k) => r.params[k] ?? null), tags.map((k) => r.tags[k] ?? null));
  return [header, ...runs.map(row)].map((cells) => cells.map(csvCell).join(',')).join('\r\n') + '\r\n';
}

/** JSON Lines of the runs, one run a line. */
export function runsJsonl(runs: Run[]): string {
  return runs
    .map((r) => jsonLine({
      ...Object.fromEntries(FIELDS.map(([name, get]) => [name, get(r)])),
      metrics: Object.fromEntries(METRICS.map(([name, get]) => [name, get(r)])),
      params: r.params,
      tags: r.tags,
    }))
    .join('');
}
