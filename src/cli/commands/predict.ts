/** `digits predict <image...>`: the digit in each image, with the model of a finished run. */
import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { prepareDigitImage } from '../../data';
import { selectBackend } from '../../engine';
import { isUserError, UserError } from '../../errors';
import { Prediction, Predictor } from '../../web';
import { openRunCatalog, withRunOptions } from '../run-catalog';
import { jsonDocument } from '../format/json';

interface PredictArgs {
  images: string[];
  run?: string;
  best?: boolean;
  json?: boolean;
  db?: string;
  runsDir?: string;
}

type Outcome = { file: string } & ({ prediction: Prediction } | { error: string });

export const predictCommand: CommandModule<object, PredictArgs> = {
  command: 'predict <images..>',
  describe: 'Predict the digit in image files (PNG, JPEG, WebP, GIF, TIFF) with a trained run',
  builder: (y) =>
    withRunOptions(y)
      .positional('images', { type: 'string', array: true, demandOption: true, describe: 'Image files, one digit each' })
      .option('json', { type: 'boolean', describe: 'Print JSON: the run and each image\'s digit and probabilities' })
      .example('$0 predict seven.png', 'the digit, with the best finished run')
      .example('$0 predict *.png --run mi9x2k1qa7f3 --json', 'every image, one run, as JSON'),
  handler: async (args) => {
    const opened = openRunCatalog(args);
    try {
      if (opened.note && !args.json) process.stderr.write(`digits: ${opened.note}\n`);
      const predictor = new Predictor({ runsDir: opened.runsDir, catalog: opened.catalog, cacheSize: 1 });
      const run = predictor.resolveRun(args.run);
      await selectBackend();
      const outcomes: Outcome[] = [];
      for (const file of args.images) outcomes.push(await predictFile(predictor, run.id, file));
      await predictor.dispose();
      const summary = { id: run.id, name: run.name, testAccuracy: run.testAccuracy };
      if (args.json) process.stdout.write(jsonDocument({ run: summary, predictions: outcomes.map(jsonOutcome) }));
      else printTable(summary, outcomes);
      const failed = outcomes.filter((o) => 'error' in o).length;
      if (failed > 0) throw new UserError(`${failed} of ${outcomes.length} images could not be read (see above)`);
    } finally {
      opened.close();
    }
  },
};

async function predictFile(predictor: Predictor, runId: string, file: string): Promise<Outcome> {
  try {
    let bytes: Buffer;
    try {
      bytes = fs.readFileSync(file);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UserError(`${file}: ${code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a folder, not an image' : `cannot be read (${code})`}; check the path`);
    }
    const digit = await prepareDigitImage(bytes, { name: file });
    return { file, prediction: await predictor.predict(runId, digit.pixels) };
  } catch (err) {
    if (!isUserError(err)) throw err;
    return { file, error: err.message };
  }
}

function jsonOutcome(o: Outcome) {
  return 'error' in o ? o : { file: o.file, ...o.prediction };
}

function printTable(run: { id: string; name: string; testAccuracy: number | null }, outcomes: Outcome[]): void {
  const acc = run.testAccuracy === null ? '' : `, test accuracy ${(run.testAccuracy * 100).toFixed(2)}%`;
  process.stdout.write(`run ${run.id} "${run.name}"${acc}\n`);
  const width = Math.max(5, ...outcomes.map((o) => o.file.length));
  process.stdout.write(`${'image'.padEnd(width)}  digit  top 3\n`);
  for (const o of outcomes) {
    if ('error' in o) {
      process.stdout.write(`${o.file.padEnd(width)}  -      (not read)\n`);
      process.stderr.write(`digits: ${o.error}\n`);
      continue;
    }
    const top = o.prediction.top3.map((t) => `${t.digit} ${(t.probability * 100).toFixed(1).padStart(5)}%`).join('   ');
    process.stdout.write(`${o.file.padEnd(width)}  ${String(o.prediction.digit).padEnd(5)}  ${top}\n`);
  }
}
