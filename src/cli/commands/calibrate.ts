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
import { withDbOption, type StoreFlags } from '../format/db';
import { jsonDocument } from '../format/json';
import { eceChange, findRunFolder, unsureShare } from './evaluate';

interface CalibrateArgs extends StoreFlags {
  run: string;
  json?: boolean;
}

export const calibrateCommand: CommandModule<object, CalibrateArgs> = {
  command: 'calibrate <run>',
  describe: 'Fit a finished run\'s temperature on its validation probabilities (calibrated confidence and the "unsure" threshold)',
  builder: (y) =>
    withDbOption(y)
      .positional('run', { type: 'string', demandOption: true, describe: 'A run id, a unique prefix of one, or the path of a run folder' })
      .option('json', { type: 'boolean', describe: 'Print the calibration as JSON' })
      .example('$0 calibrate mi9x2k1qa7f3', 'fit and store the temperature; predict, serve and evaluate use it'),
  handler: (args) => {
    const dir = findRunFolder(args);
    const a = readRunArtifacts(dir);
    const why = [
      ...(a.status !== 'finished' ? [`is ${a.status}`] : []),
      ...(!a.validationProbs ? ['has no stored validation probabilities'] : a.validationProbs.labels.length === 0 ? ['has no validation images'] : []),
    ];
    if (why.length || !a.validationProbs) {
      throw new UserError(`${dir}: run ${path.basename(dir)} ${why.join(' and ')}; only a finished run with a validation split can be calibrated (train with data.validationFraction > 0)`);
    }
    const c = calibrate(a.validationProbs, a.testProbs);
    writeRunCalibration(dir, c);
    if (args.json) {
      process.stdout.write(jsonDocument({ run: path.basename(dir), dir, calibration: { ...c, rule: UNSURE_RULE } }));
      return;
    }
    const test = c.ece.test ? `; test ${eceChange(c.ece.test)}` : '';
    process.stdout.write(
      `run ${path.basename(dir)}: temperature ${c.temperature} fitted on ${c.count} validation images\n` +
        `ECE (15 bins): validation ${eceChange(c.ece.validation)}${test}\n` +
        `unsure below ${c.unsureBelow.toFixed(2)}: ${unsureShare(c)}\n` +
        `wrote ${path.join(dir, 'calibration.json')}\n`,
    );
  },
};
