/**
 * `digits calibrate <run>`: fits (or re-fits) a finished run's temperature on its stored validation
 * probabilities and writes calibration.json; nothing is re-run. Training does this by itself; this
 * is for runs made before calibration existed.
 */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { UserError } from '../../errors';
import { readRunArtifacts } from '../../tracking';
import { calibrate, UNSURE_RULE, writeRunCalibration } from '../../train';
import { DB_HELP, RUNS_DIR_HELP } from '../format/db';
import { jsonDocument } from '../format/json';
import { fixed } from '../format/values';
import { findRunFolder } from './evaluate';

interface CalibrateArgs {
  run: string;
  json?: boolean;
  db?: string;
  runsDir?: string;
}

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate <run>',
  describe: 'Fit a finished run\'s temperature on its validation probabilities (calibrated confidence and the "unsure" threshold)',
  builder: (y) =>
    y
      .positional('run', { type: 'string', demandOption: true, describe: 'A run id, a unique prefix of one, or the path of a run folder' })
      .option('json', { type: 'boolean', describe: 'Print the calibration as JSON' })
      .option('db', { type: 'string', describe: DB_HELP })
      .option('runs-dir', { type: 'string', describe: RUNS_DIR_HELP })
      .example('$0 calibrate mi9x2k1qa7f3', 'fit and store the temperature; predict, serve and evaluate use it'),
  handler: (args) => {
    const dir = findRunFolder(args);
    const a = readRunArtifacts(dir);
    if (a.status !== 'finished' || !a.validationProbs || a.validationProbs.labels.length === 0) {
      throw new UserError(`${dir}: run ${path.basename(dir)} is ${a.status} and has ${a.validationProbs ? 'no validation images' : 'no stored validation probabilities'}; only a finished run with a validation split can be calibrated (train with data.validationFraction > 0)`);
    }
    const c = calibrate(a.validationProbs, a.testProbs);
    writeRunCalibration(dir, c);
    if (args.json) {
      process.stdout.write(jsonDocument({ run: path.basename(dir), dir, calibration: { ...c, rule: UNSURE_RULE } }));
      return;
    }
    const test = c.ece.test ? `; test ${fixed(c.ece.test.before)} -> ${fixed(c.ece.test.after)}` : '';
    process.stdout.write(
      `run ${path.basename(dir)}: temperature ${c.temperature} fitted on ${c.count} validation images\n` +
        `ECE (15 bins): validation ${fixed(c.ece.validation.before)} -> ${fixed(c.ece.validation.after)}${test}\n` +
        `unsure below ${c.unsureBelow.toFixed(2)}: ${(c.unsure.share * 100).toFixed(2)}% of ${c.unsure.split} answers, the rest ${(c.unsure.answeredAccuracy * 100).toFixed(2)}% right\n` +
        `wrote ${path.join(dir, 'calibration.json')}\n`,
    );
  },
};
