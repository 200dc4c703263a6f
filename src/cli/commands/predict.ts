/** `digits predict <image|folder|glob...>`: the digit in each image, with the model of a finished run. */
import fs from 'node:fs';
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { prepareDigitImage, readImageFile } from '../../data';
import { selectBackend } from '../../engine';
import { isUserError, UserError } from '../../errors';
import { Prediction, Predictor } from '../../web';
import { expandImageArgs } from '../predict-files';
import { openRunCatalog, withRunOptions } from '../run-catalog';
import { csvCell } from '../format/csv';
import { jsonDocument, jsonLine } from '../format/json';
import { makeFolders } from '../../files';

interface PredictArgs {
  images: string[];
  run?: string;
  best?: boolean;
  json?: boolean;
  format?: Format;
  saveInput?: string;
  db?: string;
  runsDir?: string;
}

type Format = 'table' | 'json' | 'csv' | 'jsonl';
type Outcome = { file: string } & ({ prediction: Prediction } | { error: string });

/** Images decoded at once: their predictions share forward passes (the predictor batches them). */
const CHUNK = 32;

export const predictCommand: CommandModule<object, PredictArgs> = {
  command: 'predict <images..>',
  describe: 'Predict the digit in image files (PNG, JPEG, WebP, GIF, TIFF), folders of them or globs, with a trained run',
  builder: (y) =>
    withRunOptions(y)
      .positional('images', { type: 'string', array: true, demandOption: true, describe: 'Image files, folders of images, or quoted globs ("scans/*.png"); one digit per image' })
      .option('json', { type: 'boolean', describe: 'Print JSON: the run and each image\'s digit and probabilities (same as --format json)' })
      .option('format', { choices: ['table', 'json', 'csv', 'jsonl'] as const, describe: 'Output: a table (default), one JSON document, CSV or JSON Lines (one line per image, as they are read)' })
      .option('save-input', { type: 'string', describe: 'Folder to save the 28x28 PNG the model saw for each image (<name>.input.png)' })
      .conflicts('json', 'format')
      .example('$0 predict seven.png', 'the digit, with the best finished run')
      .example('$0 predict scans/ --format csv > digits.csv', 'every image of a folder, as CSV')
      .example('$0 predict "scans/*.png" --run mi9x2k1qa7f3 --json --save-input seen/', 'a glob, one run, as JSON, keeping what the model saw'),
  handler: async (args) => {
    const format: Format = args.json ? 'json' : (args.format ?? 'table');
    const files = expandImageArgs(args.images);
    const saver = args.saveInput ? inputSaver(args.saveInput) : null;
    const opened = openRunCatalog(args);
    try {
      if (opened.note && format === 'table') process.stderr.write(`digits: ${opened.note}\n`);
      const predictor = new Predictor({ catalog: opened.catalog, cacheSize: 1 });
      const run = predictor.resolveRun(args.run);
      await selectBackend();
      await predictor.warm(run.id); // a damaged model fails here, before any output
      const summary = { id: run.id, name: run.name, testAccuracy: run.testAccuracy };
      const writer = outputWriter(format, summary);
      let failed = 0;
      for (let start = 0; start < files.length; start += CHUNK) {
        const chunk = files.slice(start, start + CHUNK);
        const outcomes = await Promise.all(chunk.map((file) => predictFile(predictor, run.id, file, saver)));
        for (const o of outcomes) {
          if ('error' in o) failed++;
          writer.add(o);
        }
      }
      writer.end();
      await predictor.dispose();
      if (failed > 0) throw new UserError(`${failed} of ${files.length} images could not be read (see above)`);
    } finally {
      opened.close();
    }
  },
};

async function predictFile(predictor: Predictor, runId: string, file: string, saver: ((file: string, png: Buffer) => void) | null): Promise<Outcome> {
  try {
    const digit = await prepareDigitImage(readImageFile(file), { name: file });
    saver?.(file, digit.png);
    return { file, prediction: await predictor.predict(runId, digit.pixels) };
  } catch (err) {
    if (!isUserError(err)) throw err;
    return { file, error: err.message };
  }
}

/** Writes each image's 28x28 to `dir` as <name>.input.png (<name>-2.input.png for a repeated name). */
function inputSaver(dir: string): (file: string, png: Buffer) => void {
  try {
    makeFolders(dir);
  } catch (err) {
    throw new UserError(`--save-input ${dir}: the folder cannot be made (${(err as NodeJS.ErrnoException).code}); give a writable folder`);
  }
  const used = new Map<string, number>();
  return (file, png) => {
    const base = path.basename(file, path.extname(file)) || 'image';
    const n = (used.get(base) ?? 0) + 1;
    used.set(base, n);
    const target = path.join(dir, `${n === 1 ? base : `${base}-${n}`}.input.png`);
    try {
      fs.writeFileSync(target, png);
    } catch (err) {
      throw new UserError(`--save-input: cannot write ${target} (${(err as NodeJS.ErrnoException).code}); give a writable folder`);
    }
  };
}

interface Writer {
  add(o: Outcome): void;
  end(): void;
}

type RunSummary = { id: string; name: string; testAccuracy: number | null };

/** Streams CSV and JSON Lines row by row; the table and the JSON document are written at the end. */
function outputWriter(format: Format, run: RunSummary): Writer {
  const out = (s: string) => process.stdout.write(s);
  if (format === 'csv') {
    out(`file,digit,confidence,unsure,${Array.from({ length: 10 }, (_, d) => `p${d}`).join(',')},run,error\n`);
    return {
      add: (o) => {
        const p = 'prediction' in o ? o.prediction : null;
        const cells = p ? [String(p.digit), String(p.confidence), String(p.unsure), ...p.probabilities.map(String)] : new Array(13).fill('');
        out(`${csvCell(o.file)},${cells.join(',')},${run.id},${'error' in o ? csvCell(o.error) : ''}\n`);
        if ('error' in o) process.stderr.write(`digits: ${o.error}\n`);
      },
      end: () => undefined,
    };
  }
  if (format === 'jsonl') {
    return {
      add: (o) => {
        out(jsonLine({ ...jsonOutcome(o), run: run.id }));
        if ('error' in o) process.stderr.write(`digits: ${o.error}\n`);
      },
      end: () => undefined,
    };
  }
  const all: Outcome[] = [];
  return {
    add: (o) => all.push(o),
    end: () => (format === 'json' ? out(jsonDocument({ run, predictions: all.map(jsonOutcome) })) : printTable(run, all)),
  };
}

function jsonOutcome(o: Outcome) {
  return 'error' in o ? o : { file: o.file, ...o.prediction };
}

function printTable(run: RunSummary, outcomes: Outcome[]): void {
  const acc = run.testAccuracy === null ? '' : `, test accuracy ${(run.testAccuracy * 100).toFixed(2)}%`;
  const calibrated = outcomes.some((o) => 'prediction' in o && o.prediction.calibrated) ? ', calibrated probabilities' : '';
  process.stdout.write(`run ${run.id} "${run.name}"${acc}${calibrated}\n`);
  const width = Math.max(5, ...outcomes.map((o) => o.file.length));
  process.stdout.write(`${'image'.padEnd(width)}  digit  top 3\n`);
  for (const o of outcomes) {
    if ('error' in o) {
      process.stdout.write(`${o.file.padEnd(width)}  -      (not read)\n`);
      process.stderr.write(`digits: ${o.error}\n`);
      continue;
    }
    const top = o.prediction.top3.map((t) => `${t.digit} ${(t.probability * 100).toFixed(1).padStart(5)}%`).join('   ');
    const unsure = o.prediction.unsure ? '   unsure: confidence below the run\'s threshold' : '';
    process.stdout.write(`${o.file.padEnd(width)}  ${`${o.prediction.digit}${o.prediction.unsure ? '?' : ''}`.padEnd(5)}  ${top}${unsure}\n`);
  }
}
