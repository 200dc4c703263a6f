/** `digits evaluate <run>`: the metrics of a stored run, read from its artifacts (no re-run). */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { UserError } from '../../errors';
import type { Calibration } from '../../train';
import { idsSource, readRunArtifacts, resolveRunIdIn, runFolderNames, runFolderPath, type Evaluation, type RunArtifacts } from '../../tracking';
import { openStoreForReading, storePaths, withDbOption, type StoreFlags } from '../format/db';
import { renderTable } from '../format/table';
import { fixed } from '../format/values';
import { jsonDocument } from '../format/json';

interface EvaluateArgs extends StoreFlags {
  run: string;
  json?: boolean;
}

export const evaluateCommand: CommandModule<object, EvaluateArgs> = {
  command: 'evaluate <run>',
  describe: 'Show a run\'s accuracy, macro and per-class precision/recall/F1 and confusion matrix',
  builder: (y) =>
    withDbOption(y)
      .positional('run', { type: 'string', demandOption: true, describe: 'A run id, a unique prefix of one, or the path of a run folder' })
      .option('json', { type: 'boolean', describe: 'Print the validation and test evaluations as JSON' }),
  handler: (args) => {
    const artifacts = readRunArtifacts(findRunFolder(args));
    if (args.json) {
      process.stdout.write(jsonDocument({ run: path.basename(artifacts.dir), dir: artifacts.dir, status: artifacts.status, summary: artifacts.summary, validation: artifacts.validation, test: artifacts.test, calibration: artifacts.calibration ?? null }));
      return;
    }
    process.stdout.write(formatEvaluation(artifacts));
  },
};

/**
 * A folder path wins; else the run (id or unique prefix, the one resolver's rules) in the tracking
 * database; without a database, the run folders in the runs folder. `digits calibrate` finds runs the same way.
 */
export function findRunFolder(args: StoreFlags & { run: string }): string {
  if (fs.existsSync(path.join(args.run, 'config.json'))) return path.resolve(args.run);
  const { dbFile, runsDir } = storePaths(args);
  if (args.db || process.env.DIGITS_DB || fs.existsSync(dbFile)) {
    const store = openStoreForReading(args);
    try {
      const run = store.getRun(store.resolveRunId(args.run));
      const dir = run?.artifactDir ?? runFolderPath(runsDir, args.run);
      if (!fs.existsSync(dir)) throw new UserError(`run ${run?.id ?? args.run} has no run folder at ${dir}; pass the runs folder it was written to with --runs-dir`);
      return dir;
    } finally {
      store.close();
    }
  }
  return runFolderPath(runsDir, resolveRunIdIn(idsSource(runFolderNames(runsDir), `${runsDir} (no tracking database at ${dbFile})`), args.run));
}

/** The human-readable report: headline numbers, the per-class table and the confusion matrix (test). */
export function formatEvaluation(a: RunArtifacts): string {
  const out = [`run ${path.basename(a.dir)} (${a.status}, ${a.dir})\n`];
  if (!a.test || !a.validation) return out.concat('no evaluation: the run did not finish\n').join('');
  const headline = renderTable(
    [
      { header: 'split', value: (r: [string, Evaluation]) => r[0] },
      { header: 'images', value: (r) => String(r[1].count), align: 'right' },
      { header: 'accuracy', value: (r) => fixed(r[1].accuracy), align: 'right' },
      { header: 'loss', value: (r) => fixed(r[1].loss), align: 'right' },
      { header: 'macro P', value: (r) => fixed(r[1].macro.precision), align: 'right' },
      { header: 'macro R', value: (r) => fixed(r[1].macro.recall), align: 'right' },
      { header: 'macro F1', value: (r) => fixed(r[1].macro.f1), align: 'right' },
    ],
    [['validation', a.validation], ['test', a.test]],
  );
  const perClass = renderTable(
    [
      { header: 'digit', value: (c: Evaluation['perClass'][number]) => String(c.label), align: 'right' },
      { header: 'precision', value: (c) => fixed(c.precision), align: 'right' },
      { header: 'recall', value: (c) => fixed(c.recall), align: 'right' },
      { header: 'f1', value: (c) => fixed(c.f1), align: 'right' },
      { header: 'support', value: (c) => String(c.support), align: 'right' },
    ],
    a.test.perClass,
  );
  return [...out, '\n', headline, formatCalibration(a), '\ntest set, per class:\n', perClass, '\ntest confusion matrix (rows: true digit, columns: predicted):\n', confusionTable(a.test.confusion)].join('');
}

function confusionTable(m: number[][]): string {
  const digits = m.map((_, i) => i);
  return renderTable(
    [{ header: 'true', value: (r: number) => String(r), align: 'right' }, ...digits.map((c) => ({ header: String(c), value: (r: number) => String(m[r][c]), align: 'right' as const }))],
    digits,
  );
}

/** Temperature, ECE before/after and the unsure rule, or how to get them. */
function formatCalibration(a: RunArtifacts): string {
  const c = a.calibration as Calibration | null | undefined; // written by train's writeRunCalibration
  if (!c) return `\ncalibration: none (the run predates it); fit one with \`digits calibrate ${path.basename(a.dir)}\`\n`;
  const test = c.ece.test ? `, test ${eceChange(c.ece.test)}` : '';
  return `\ncalibration: temperature ${c.temperature} (fitted on ${c.count} validation images); ECE validation ${eceChange(c.ece.validation)}${test}\nunsure below ${c.unsureBelow.toFixed(2)} confidence: ${unsureShare(c)}\n`;
}

/** An ECE before and after scaling: "0.0092 -> 0.0082" (evaluate and calibrate print it alike). */
export function eceChange(e: { before: number; after: number }): string {
  return `${fixed(e.before)} -> ${fixed(e.after)}`;
}

/** How many answers the unsure rule holds back, and how right the rest are. */
export function unsureShare(c: Calibration): string {
  return `${(c.unsure.share * 100).toFixed(2)}% of ${c.unsure.split} answers; the others ${(c.unsure.answeredAccuracy * 100).toFixed(2)}% right`;
}
