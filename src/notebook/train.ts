/**
 * Training from a notebook in one call: a spec from an experiment file, a preset or a plain object,
 * resolved by the config module exactly as the CLI resolves it, trained with trainAndRecord into
 * the CLI's tracking store and run folders, with the live learning curve in the cell.
 */
import fs from 'node:fs';
import { loadExperiment, expandTrials, parseSetFlags, presetFile, presetNames, type ExperimentDefinition, type Trial } from '../config';
import { loadMnist, type Mnist } from '../data';
import { engineInfo } from '../engine';
import { UserError } from '../errors';
import { openStore, type Run, type TrackingStore } from '../tracking';
import { collectProvenance, trainAndRecord } from '../train';
import { newOutput, type Output } from './display';
import { untilInterrupted } from './interrupt';
import { liveLearningCurves, type LiveCurvesOptions } from './live';
import { notebookSettings, type NotebookSettings } from './settings';

/** What to train: an experiment file (`.yaml`), a preset name, or the parts of a spec that differ from the defaults. */
export type SpecSource = string | Omit<ExperimentDefinition, 'name'> & { name?: string };

/** Overrides applied last, like `--set`: "key=value" strings (values read as YAML) or dotted keys to values. */
export type Overrides = string[] | Record<string, unknown>;

export interface TrainSpecOptions {
  set?: Overrides;
  /** Run name (default: the trial's name). */
  name?: string;
  /** Where data and runs live (default: notebookSettings(), the CLI's rules). */
  settings?: NotebookSettings;
  /** MNIST already loaded in the notebook (default: loaded from settings.dataDir). */
  mnist?: Mnist;
  /** An open store (default: settings.dbFile, opened and closed here). */
  store?: TrackingStore;
  /** Where the live curve and the progress line go (default: two new outputs in the cell); false for none. */
  outputs?: { chart: Output; progress?: Output } | false;
  /** Smoothing and redraw interval of the live curve. */
  live?: Pick<LiveCurvesOptions, 'smoothing' | 'chartEveryMs'>;
  /** Stops training after the current batch (the run is recorded interrupted); so does the kernel's interrupt (SIGINT). */
  signal?: AbortSignal;
}

/**
 * The single trial `source` names, resolved with defaults, file and overrides (every problem at once).
 * @example specTrial('cnn-strong', { set: ['train.epochs=1'] }).spec.train.epochs // 1
 */
export function specTrial(source: SpecSource, set: Overrides = []): { experiment: string; trial: Trial } {
  const { experiment, trials } = resolveSource(source, set);
  if (trials.length !== 1) {
    const where = typeof source === 'string' ? `"${source}"` : 'the spec';
    throw new UserError(`${where} expands to ${trials.length} trials (a grid, random search or seeds); trainSpec trains one: use runExperiment for a grid, or pick one with set`);
  }
  return { experiment, trial: trials[0] };
}

function resolveSource(source: SpecSource, set: Overrides): { experiment: string; trials: Trial[] } {
  if (typeof source === 'string' && (/\.ya?ml$/i.test(source) || source.includes('/') || fs.existsSync(source))) {
    const experiment = loadExperiment(source, { overrides: set });
    return { experiment: experiment.name, trials: experiment.trials };
  }
  const overrides = Array.isArray(set) ? parseSetFlags(set) : set;
  if (typeof source !== 'string') {
    return { experiment: 'notebook', trials: expandTrials({ ...source, name: source.name ?? 'notebook', set: { ...source.set, ...overrides } }) };
  }
  if (!presetNames().includes(source)) {
    throw new UserError(`"${source}" is neither an experiment file (.yaml) nor a preset; presets: ${presetNames().join(', ')}`);
  }
  return { experiment: 'notebook', trials: loadExperiment(presetFile(source), { overrides }).trials };
}

/**
 * Trains one spec and records it in the tracking store the CLI uses, drawing its learning curve
 * in the cell from the first steps; returns the run as the store has it. Jupyter's stop button ends
 * the training after the current batch, recorded as interrupted.
 * @example const run = await trainSpec({ model: { kind: 'cnn' }, data: { trainLimit: 3000 }, train: { epochs: 2 } });
 * @example const run = await trainSpec('cnn-strong', { set: ['train.epochs=1', 'data.trainLimit=2000'] });
 */
export async function trainSpec(source: SpecSource, options: TrainSpecOptions = {}): Promise<Run> {
  const engine = engineInfo();
  if (!engine) throw new UserError('no TF.js backend chosen yet: run `await dl.selectBackend()` first (the setup cell)');
  const { experiment, trial } = specTrial(source, options.set);
  const settings = options.settings ?? notebookSettings();
  const mnist = options.mnist ?? (await loadMnist({ dataDir: settings.dataDir }));
  const store = options.store ?? openStore(settings.dbFile, { runsDir: settings.runsDir });
  try {
    const name = options.name ?? trial.name;
    const run = store.createRun({ experiment, name, trialHash: trial.hash, spec: trial.spec, seed: trial.spec.seed });
    const outputs = options.outputs === false ? null : (options.outputs ?? { progress: newOutput(), chart: newOutput() });
    const live = outputs ? liveLearningCurves({ title: name, epochs: trial.spec.train.epochs, ...outputs, ...options.live }) : null;
    const recorded = await untilInterrupted((signal) => trainAndRecord({
      spec: trial.spec, mnist, store, runId: run.id, runsDir: settings.runsDir, provenance: collectProvenance(engine),
      onStep: live?.onStep, onEpoch: live?.onEpoch, onBatch: live?.onBatch, signal,
    }), options.signal);
    await live?.flush();
    return store.getRun(recorded.id) as Run;
  } finally {
    if (!options.store) store.close();
  }
}
