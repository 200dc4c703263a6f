/** `digits train`: trains one model, evaluates it on validation and test, records the run. */
import path from 'node:path';
import type { CommandModule } from 'yargs';
import { loadMnist } from '../../data';
import { selectBackend } from '../../engine';
import { openStore } from '../../tracking';
import { collectProvenance, trainAndRecord } from '../../train';
import { withDbOption, writableStorePaths, type StoreFlags } from '../format/db';
import { jsonDocument } from '../format/json';
import { loadTrial, presetNames, type FlagOverride } from '../../config';
import { EXIT, UserError } from '../../errors';
import { fixed } from '../format/values';
import { createProgressReporter } from '../progress';
import { onStopSignals } from '../interrupt';
import { flagName } from '../format/argv';

/** The flags that set a field of the spec, and the field each sets (the same rules as the field in a YAML file). */
const SPEC_FLAGS = {
  model: 'model.kind',
  epochs: 'train.epochs',
  lr: 'train.optimizer.learningRate',
  optimizer: 'train.optimizer.name',
  batchSize: 'train.batchSize',
  trainLimit: 'data.trainLimit',
  testLimit: 'data.testLimit',
  seed: 'seed',
  splitSeed: 'data.splitSeed',
  augment: 'train.augment.enabled',
  replicas: 'train.replicas',
  ema: 'train.ema',
} as const;

type SpecFlags = { [K in keyof typeof SPEC_FLAGS]?: K extends 'model' | 'optimizer' ? string : K extends 'augment' ? boolean : number };

interface TrainArgs extends SpecFlags, StoreFlags {
  experiment?: string;
  preset?: string;
  set?: string[];
  dataDir?: string;
  name?: string;
  json?: boolean;
}

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train [experiment]',
  describe: 'Train one model on MNIST, evaluate it on validation and test, and record the run',
  builder: (y) =>
    withDbOption(y)
      .option('model', { choices: ['cnn', 'rnn'] as const, describe: 'Model kind with its default settings (default: cnn)' })
      .positional('experiment', { type: 'string', describe: 'An experiment file of one trial to train (a grid is for `digits run`); default: the defaults' })
      .option('preset', { type: 'string', describe: `Start from a preset (experiments/presets/NAME.yaml): ${presetNames().join(', ')}` })
      .option('set', { type: 'string', array: true, describe: 'Override a field as in an experiment file, e.g. --set train.optimizer.momentum=0.8 (repeatable)' })
      .option('epochs', { type: 'number', describe: 'Passes over the training images' })
      .option('lr', { type: 'number', describe: 'Learning rate (default 0.001)' })
      .option('optimizer', { choices: ['adam', 'sgd', 'rmsprop'] as const, describe: 'Optimizer (default adam)' })
      .option('batch-size', { type: 'number', describe: 'Images per training step (default 64)' })
      .option('train-limit', { type: 'number', describe: 'Use only the first N training images (quick runs)' })
      .option('test-limit', { type: 'number', describe: 'Evaluate on only the first N test images' })
      .option('seed', { type: 'number', describe: 'Seed of weights, split, shuffling, dropout and augmentation (default 1)' })
      .option('split-seed', { type: 'number', describe: 'Seed of the validation split alone (default: --seed); runs that share it can be combined into an ensemble' })
      .option('augment', { type: 'boolean', describe: 'Randomly rotate, shift and zoom training batches' })
      .option('replicas', { type: 'number', describe: 'Threads that share every batch (data-parallel; default 1, worth it up to one per core)' })
      .option('ema', { type: 'number', describe: 'Keep a moving average of the weights with this decay per step (e.g. 0.999) and evaluate and save it' })
      .option('name', { type: 'string', describe: 'Run name shown by `digits runs`' })
      .option('json', { type: 'boolean', describe: 'Print the recorded run (as `digits show --json` does) instead of the text summary' })
      .option('data-dir', { type: 'string', describe: 'MNIST folder (default: $DIGITS_DATA_DIR, else the cache)' }),
  handler: async (args) => {
    const trial = trainTrial(args);
    const spec = trial.spec;
    const { dbFile, runsDir } = writableStorePaths(args); // before loading anything: an unusable runs folder stops here
    const engine = await selectBackend();
    const mnist = await loadMnist({ dataDir: args.dataDir });
    const store = openStore(dbFile, { runsDir });
    const reporter = createProgressReporter(spec.train.epochs);
    const controller = new AbortController();
    const onSigint = () => {
      if (controller.signal.aborted) process.exit(EXIT.interrupted); // a second Ctrl-C: stop at once
      controller.abort();
      reporter.stop();
      process.stderr.write('digits: interrupted; stopping after this batch and saving what exists (Ctrl-C again to quit at once)\n');
    };
    const release = onStopSignals(onSigint);
    try {
      const threads = spec.train.replicas > 1 ? `, ${spec.train.replicas} replicas` : '';
      process.stderr.write(`training ${args.preset ?? (args.experiment ? path.basename(args.experiment) : spec.model.kind)} on ${engine.backend}${threads}, ${spec.train.epochs} epoch(s), seed ${spec.seed}\n`);
      const run = await trainAndRecord({
        spec, mnist, runsDir, store, name: args.name ?? runName(trial.name, spec.model.kind), provenance: collectProvenance(engine),
        // Under the file's (or preset's) experiment name, so `digits runs --experiment` and `digits report` find it; plain defaults: "cli".
        experiment: args.experiment || args.preset ? trial.experiment : 'cli',
        onBatch: reporter.onBatch, onEpoch: reporter.onEpoch, signal: controller.signal,
      });
      const s = run.summary;
      if (run.status === 'interrupted') process.exitCode = EXIT.interrupted;
      if (args.json) return void process.stdout.write(jsonDocument({ ...store.getRun(run.id), history: store.history(run.id) }));
      if (run.status === 'interrupted') {
        process.stdout.write(`run ${run.id} interrupted after ${s.epochs} epoch(s); saved to ${run.dir}\n`);
        return;
      }
      process.stdout.write(
        `run ${run.id} finished: validation accuracy ${fixed(run.validation?.accuracy)}, test accuracy ${fixed(run.test?.accuracy)} ` +
          `(${s.epochs} epoch(s), best ${s.bestEpoch}, ${s.trainSeconds.toFixed(1)} s, ${Math.round(s.imagesPerSec)} img/s)\n` +
          `stored in ${run.dir} and ${dbFile}\nsee it with: digits evaluate ${run.id}\n`,
      );
    } finally {
      reporter.stop();
      release();
      store.close();
    }
  },
};

/**
 * The trial `digits train` trains: defaults, then --preset, then --set and the flags, all on the
 * config path an experiment file takes (so a flag is refused or accepted as the same value in a file).
 */
export function trainTrial(args: TrainArgs) {
  const flags: FlagOverride[] = [];
  for (const [name, key] of Object.entries(SPEC_FLAGS)) {
    const value = args[name as keyof SpecFlags];
    if (value !== undefined) flags.push({ key, value, flag: `${flagName(name)} ${String(value)}` });
  }
  if (args.preset !== undefined && args.model !== undefined) {
    const kind = loadTrial({ preset: args.preset }).spec.model.kind;
    if (kind !== args.model) throw new UserError(`--model ${args.model} contradicts --preset ${args.preset} (a ${kind} preset); drop one of them`);
  }
  return loadTrial({ file: args.experiment, preset: args.preset, overrides: args.set ?? [], flags });
}

/** The trial's name says what the flags changed ("cnn-tiny epochs=3"); without a preset it starts with the model kind. */
function runName(trialName: string, kind: string): string | undefined {
  if (trialName === 'defaults') return undefined; // trainAndRecord's "cnn seed=1"
  return trialName.replace(/^defaults /, `${kind} `);
}
