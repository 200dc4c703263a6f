/** `digits show <run>`: everything recorded about one run. */
import type { CommandModule } from 'yargs';
import type { Evaluation } from '../../train';
import type { Run } from '../../tracking';
import { usingStore, withDbOption, type StoreFlags } from '../format/db';
import { renderTable } from '../format/table';
import { duration, fixed, paramText, when } from '../format/values';
import { jsonDocument } from '../format/json';

interface ShowArgs extends StoreFlags {
  run: string;
  json?: boolean;
}

function header(run: Run): string {
  const lines: [string, string][] = [
    ['id', run.id],
    ['experiment', run.experiment],
    ['name', run.name],
    ['status', run.status + (run.error ? ` (${run.error})` : '')],
    ['trial hash', run.trialHash],
    ['seed', String(run.seed)],
    ['created', when(run.createdAt)],
    ['started', when(run.startedAt)],
    ['ended', when(run.endedAt)],
    ['artifacts', run.artifactDir ?? '-'],
  ];
  if (run.provenance) lines.push(['engine', `${run.provenance.backend} on ${run.provenance.host}, git ${run.provenance.gitCommit?.slice(0, 10) ?? '-'}${run.provenance.gitDirty ? ' (dirty)' : ''}`]);
  if (Object.keys(run.tags).length) lines.push(['tags', Object.entries(run.tags).map(([k, v]) => `${k}=${v}`).join(' ')]);
  if (run.note) lines.push(['note', run.note]);
  const width = Math.max(...lines.map(([k]) => k.length));
  return lines.map(([k, v]) => `${k.padEnd(width)}  ${v}`).join('\n') + '\n';
}

function results(run: Run): string {
  const s = run.summary;
  if (!s) return '';
  const rows = [
    ['validation accuracy', fixed(run.validation?.accuracy)],
    ['test accuracy', fixed(run.test?.accuracy)],
    ['test macro F1', fixed(run.test?.macro.f1)],
    ['best epoch', `${s.bestEpoch} of ${s.epochs} (val_accuracy ${fixed(s.bestValAccuracy)})`],
    ['training time', `${duration(s.trainSeconds)} (${Math.round(s.imagesPerSec)} img/s${s.peakRssMb ? `, peak RSS ${Math.round(s.peakRssMb)} MB` : ''})`],
  ];
  return `\n${rows.map(([k, v]) => `${k.padEnd(19)}  ${v}`).join('\n')}\n`;
}

function perClass(test: Evaluation | null): string {
  if (!test) return '';
  const table = renderTable(
    [
      { header: 'digit', value: (c) => String(c.label), align: 'right' },
      { header: 'precision', value: (c) => fixed(c.precision), align: 'right' },
      { header: 'recall', value: (c) => fixed(c.recall), align: 'right' },
      { header: 'f1', value: (c) => fixed(c.f1), align: 'right' },
      { header: 'support', value: (c) => String(c.support), align: 'right' },
    ],
    test.perClass,
  );
  return `\ntest set, per class:\n${table}`;
}

export const showCommand: CommandModule<object, ShowArgs> = {
  command: 'show <run>',
  describe: 'Show one run: status, results, per-class metrics, epoch history and params',
  builder: (y) =>
    withDbOption(y)
      .positional('run', { type: 'string', demandOption: true, describe: 'Run id or a unique prefix of one' })
      .option('json', { type: 'boolean', describe: 'Print the run (with its history) as JSON' }),
  handler: (args) =>
    usingStore(args, (store) => {
      const run = store.getRun(store.resolveRunId(args.run)) as Run;
      const history = store.history(run.id);
      if (args.json) return void process.stdout.write(jsonDocument({ ...run, history }));
      let out = header(run) + results(run) + perClass(run.test);
      if (history.length) {
        out += `\nepochs:\n${renderTable(
          [
            { header: 'epoch', value: (e) => String(e.epoch), align: 'right' },
            { header: 'loss', value: (e) => fixed(e.loss), align: 'right' },
            { header: 'acc', value: (e) => fixed(e.accuracy), align: 'right' },
            { header: 'val_loss', value: (e) => fixed(e.valLoss), align: 'right' },
            { header: 'val_acc', value: (e) => fixed(e.valAccuracy), align: 'right' },
            { header: 'lr', value: (e) => String(e.learningRate), align: 'right' },
            { header: 'img/s', value: (e) => String(Math.round(e.imagesPerSec)), align: 'right' },
            { header: 'time', value: (e) => duration(e.seconds), align: 'right' },
          ],
          history,
        )}`;
      }
      const params = Object.entries(run.params);
      const width = Math.max(...params.map(([k]) => k.length));
      out += `\nparams:\n${params.map(([k, v]) => `  ${k.padEnd(width)}  ${paramText(v)}`).join('\n')}\n`;
      process.stdout.write(out);
    }),
};
