/**
 * Loading experiment files: YAML with positions, `extends` chains, `--set` overrides, then
 * expansion into trials. Every problem in the chain is reported at once, in one UserError.
 */
import fs from 'node:fs';
import path from 'node:path';
import { UserError } from '../errors';
import { expandCollect, problemsError, type ExperimentDefinition, type Positions } from './expand';
import { formatIssue, showValue } from './format';
import { LIMITS } from './limits';
import { deepMerge, parseDottedKey, setOwn } from './merge';
import { presetFile } from './presets';
import { distributionIssues } from './random';
import { isMapping, resolve, type Issue, type Rule } from './schema';
import type { Experiment, ExecutorBlock, Trial } from './types';
import { childNode, flagSource, parseYaml, yamlSource, type ParsedYaml, type Source } from './yaml-source';

export interface LoadOptions {
  /** `--set` overrides: "key=value" strings (values parsed as YAML) or a dotted-key record. */
  overrides?: string[] | Record<string, unknown>;
  /**
   * A command's own flags as overrides on the same path (applied with `overrides`, validated by the
   * same rules), each labelled by the flag as typed, for messages: {key: 'train.epochs', value: 3, flag: '--epochs 3'}.
   */
  flags?: FlagOverride[];
}

export interface FlagOverride { key: string; value: unknown; flag: string }

const any: Rule = { t: 'any' };
const META_RULE: Rule = {
  t: 'object',
  fields: {
    name: { t: 'string' }, description: { t: 'string' }, extends: { t: 'string' },
    data: any, model: any, train: any, seed: any, grid: any,
    random: { t: 'object', fields: { n: { t: 'number', int: true, min: 1, max: LIMITS.trials }, seed: { t: 'number', int: true, min: 0 }, params: any } },
    seeds: { t: 'array', min: 1, of: { t: 'number', int: true, min: 0, max: 2 ** 31 - 1 } },
    trials: { t: 'array', min: 1, of: { t: 'object', fields: { name: { t: 'string' }, data: any, model: any, train: any, seed: any } } },
    executor: {
      t: 'object',
      fields: {
        kind: { t: 'enum', values: ['local', 'slurm'] }, partition: { t: 'string' }, timeLimit: { t: 'string' },
        cpusPerTask: { t: 'number', int: true, min: 1 }, tasksAtOnce: { t: 'number', int: true, min: 1 },
        extraArgs: { t: 'array', of: { t: 'string' } }, graceSeconds: { t: 'number', int: true, min: 1 }, maxRestarts: { t: 'number', int: true, min: 0 },
      },
    },
  },
};

interface FileLayer { label: string; yaml: ParsedYaml; data: Record<string, unknown> }

function labelOf(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** Structure problems of one file (top-level keys, grid, random, seeds, trials), as Issues. */
function metaIssues(data: Record<string, unknown>): Issue[] {
  const issues: Issue[] = [];
  resolve(META_RULE, data, {}, [], issues);
  if (data.grid !== undefined) {
    if (!isMapping(data.grid)) issues.push({ path: ['grid'], rule: 'must be a mapping of dotted keys to lists of values', got: data.grid });
    else for (const [key, values] of Object.entries(data.grid)) {
      if (!Array.isArray(values) || values.length === 0) issues.push({ path: ['grid', key], rule: 'must be a non-empty list of values', got: values });
    }
  }
  if (isMapping(data.random)) {
    const params = data.random.params;
    if (!isMapping(params) || Object.keys(params).length === 0) {
      issues.push({ path: ['random', 'params'], rule: 'must map dotted keys to distributions', got: params });
    } else {
      for (const [key, d] of Object.entries(params)) issues.push(...distributionIssues(d, ['random', 'params', key]));
    }
    if (data.random.n === undefined) issues.push({ path: ['random', 'n'], rule: 'is required (how many samples)', got: undefined });
  }
  if (Array.isArray(data.trials)) {
    const seen = new Set<unknown>();
    data.trials.forEach((t, i) => {
      const name = isMapping(t) ? t.name : undefined;
      if (typeof name !== 'string' || name === '') issues.push({ path: ['trials', i, 'name'], rule: 'is required (a short unique name)', got: name });
      else if (seen.has(name)) issues.push({ path: ['trials', i, 'name'], rule: 'must be unique among trials', got: name });
      seen.add(name);
    });
  }
  return issues;
}

/** The text of an experiment file, or a problem line: only regular files, at most LIMITS.fileBytes. */
function readBounded(abs: string, label: string): string | { problem: string } {
  let fd: number;
  try {
    fd = fs.openSync(abs, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
  } catch {
    return { problem: `${label}: cannot read this experiment file; check the path (experiments/*.yaml)` };
  }
  try {
    if (!fs.fstatSync(fd).isFile()) return { problem: `${label}: is not a regular file (a folder, FIFO or device); give an experiment YAML file` };
    const buf = Buffer.alloc(LIMITS.fileBytes + 1);
    let size = 0;
    for (let n = 1; n > 0 && size < buf.length; size += n) n = fs.readSync(fd, buf, size, buf.length - size, null);
    if (size > LIMITS.fileBytes) {
      return { problem: `${label}: is larger than ${LIMITS.fileBytes / 1024} KiB, the limit for an experiment file; an experiment writes only what differs from the defaults` };
    }
    return buf.subarray(0, size).toString('utf8');
  } catch {
    return { problem: `${label}: cannot read this experiment file; check its permissions` };
  } finally {
    fs.closeSync(fd);
  }
}

/** Where `extends: X` in `file` points: a path relative to the file, or `preset:NAME`. */
function parentOf(file: string, ext: string): string {
  return ext.startsWith('preset:') ? presetFile(ext.slice('preset:'.length)) : path.resolve(path.dirname(file), ext);
}

/** Reads a file and the files it extends (parents last), collecting problems. */
function readChain(file: string, problems: string[], broken: Set<string>, stack: string[] = []): FileLayer[] {
  const abs = path.resolve(file);
  const label = labelOf(abs);
  const text = readBounded(abs, label);
  if (typeof text !== 'string') {
    problems.push(text.problem);
    return [];
  }
  const yaml = parseYaml(text, label);
  if (yaml.errors.length) {
    problems.push(...yaml.errors);
    return [];
  }
  const data = yaml.data ?? {};
  if (!isMapping(data)) {
    problems.push(`${label}:1:1: an experiment file must be a mapping (name:, model:, train:, ...), got ${showValue(data)}`);
    return [];
  }
  const here = yamlSource(yaml, label, yaml.root, []);
  for (const issue of metaIssues(data)) {
    problems.push(formatIssue(issue, [here], label));
    if (['grid', 'random', 'seeds', 'trials', 'extends'].includes(String(issue.path[0]))) broken.add(String(issue.path[0]));
  }
  const layer: FileLayer = { label, yaml, data };
  if (typeof data.extends !== 'string' || broken.has('extends')) return [layer];
  const where = formatIssue({ path: ['extends'], rule: '' }, [here], label).replace(/: extends: $/, '');
  let parent: string;
  try {
    parent = parentOf(abs, data.extends);
  } catch (err) {
    problems.push(`${where}: extends: ${(err as Error).message}`);
    return [layer];
  }
  if ([...stack, abs].includes(parent)) {
    problems.push(`${where}: extends: forms a cycle (${[...stack, abs, parent].map(labelOf).join(' -> ')}); remove one of the extends`);
    return [layer];
  }
  if (!fs.existsSync(parent)) {
    problems.push(`${where}: extends: no such file ${JSON.stringify(labelOf(parent))} (paths are relative to this file; preset:NAME names a preset)`);
    return [layer];
  }
  return [layer, ...readChain(parent, problems, broken, [...stack, abs])];
}

/** Parses `--set key=value` flags; values are YAML scalars (or flow lists/maps). */
export function parseSetFlags(flags: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const flag of flags) {
    if (flag.length > LIMITS.setFlag) throw new UserError(`--set ${flag.slice(0, 40)}...: is longer than ${LIMITS.setFlag} characters; put the value in an experiment file`);
    const eq = flag.indexOf('=');
    if (eq <= 0) throw new UserError(`--set ${flag}: expected key=value (e.g. --set train.epochs=3)`);
    const key = flag.slice(0, eq).trim();
    const yaml = parseYaml(flag.slice(eq + 1), `--set ${flag}`);
    if (yaml.errors.length) throw new UserError(`--set ${flag}: the value is not valid YAML; quote it or fix it`);
    setOwn(out, key, yaml.data ?? null);
  }
  return out;
}

function positions(layers: FileLayer[], setLabels: Record<string, string>): Positions {
  const [top] = layers;
  const node = (p: (string | number)[]) => {
    let cur: ReturnType<typeof childNode> = { key: null, value: top.yaml.root };
    for (const seg of p) cur = cur && childNode(cur.value, seg);
    return cur;
  };
  /** The value at docPath holds the spec subtree at specKey; the key at keyPath named it. */
  const at = (docPath: (string | number)[], specKey: string, keyPath = docPath): Source | null => {
    const found = node(docPath);
    const key = node(keyPath)?.key ?? null;
    return found ? yamlSource(top.yaml, top.label, found.value, parseDottedKey(specKey), key) : null;
  };
  const variantSource = (i: number): Source | null => {
    const found = node(['trials', i]);
    return found ? yamlSource(top.yaml, top.label, found.value, []) : null;
  };
  return {
    label: top.label,
    base: layers.map((l) => yamlSource(l.yaml, l.label, l.yaml.root, [])),
    set: (key) => flagSource(parseDottedKey(key), Object.hasOwn(setLabels, key) ? setLabels[key] : `--set ${key}`),
    grid: (key, i) => at(['grid', key, i], key, ['grid', key]),
    random: (key) => at(['random', 'params', key], key),
    seed: (i) => at(['seeds', i], 'seed', ['seeds']),
    variant: variantSource,
  };
}

/**
 * Loads, validates and expands an experiment file: defaults, then the file and what it extends,
 * then `--set` overrides and flags, every problem reported at once.
 * @example const exp = loadExperiment('experiments/cnn-grid.yaml', { overrides: ['train.epochs=1'] });
 *   exp.trials.map((t) => t.name) // ['lr=0.001 batch=64 seed=1 epochs=1', ...]
 */
export function loadExperiment(file: string | null, options: LoadOptions = {}): Experiment {
  const problems: string[] = [];
  const broken = new Set<string>(); // top-level parts with structure problems, left out of expansion
  const layers = file === null ? [noFileLayer()] : readChain(file, problems, broken);
  if (layers.length === 0) throw problemsError(labelOf(path.resolve(file ?? '.')), problems);
  const merged = layers.reduceRight<Record<string, unknown>>((acc, l) => deepMerge(acc, l.data) as Record<string, unknown>, {});
  const { overrides, labels } = collectOverrides(options);
  const name = typeof layers[0].data.name === 'string' ? layers[0].data.name : file === null ? 'defaults' : path.basename(file).replace(/\.ya?ml$/i, '');
  const def = { ...merged, name, set: overrides } as ExperimentDefinition & Record<string, unknown>;
  for (const key of broken) delete def[key];
  delete def.executor; // where trials run is not part of what they are: never hashed
  const expanded = expandCollect(def, positions(layers, labels));
  problems.push(...expanded.problems);
  if (problems.length) throw problemsError(layers[0].label, problems);
  const { base, trials } = expanded;
  const description = typeof merged.description === 'string' ? merged.description : '';
  const executor = isMapping(merged.executor) && !broken.has('executor') ? (merged.executor as ExecutorBlock) : undefined;
  return { name, description, file: file === null ? '' : path.resolve(file), base, trials, ...(executor ? { executor } : {}) };
}

/** Where no file is given (`digits train` without --preset): the defaults alone; problems can only come from flags. */
function noFileLayer(): FileLayer {
  return { label: 'flags', yaml: parseYaml('{}', 'flags'), data: {} };
}

/** --set overrides and flags as one dotted-key record, with the text each came from; a key given both ways is refused. */
function collectOverrides(options: LoadOptions): { overrides: Record<string, unknown>; labels: Record<string, string> } {
  const overrides = Array.isArray(options.overrides) ? parseSetFlags(options.overrides) : { ...options.overrides };
  const labels: Record<string, string> = {};
  if (Array.isArray(options.overrides)) {
    for (const f of options.overrides) setOwn(labels, f.slice(0, f.indexOf('=')).trim(), `--set ${f}`);
  } else {
    for (const [k, v] of Object.entries(overrides)) setOwn(labels, k, `--set ${k}=${JSON.stringify(v)}`);
  }
  for (const f of options.flags ?? []) {
    if (Object.hasOwn(overrides, f.key)) throw new UserError(`${f.flag} and ${labels[f.key]} both set ${f.key}; keep one of them`);
    setOwn(overrides, f.key, f.value);
    setOwn(labels, f.key, f.flag);
  }
  return { overrides, labels };
}

/**
 * One run's trial on the config path every door uses: defaults, then a preset or an experiment
 * file (or neither), then `--set` overrides and flags. Refuses a file that expands to several trials.
 * @example loadTrial({ preset: 'cnn-tiny', flags: [{ key: 'train.epochs', value: 2, flag: '--epochs 2' }] }).spec.train.epochs // 2
 */
export function loadTrial(source: { file?: string; preset?: string } & LoadOptions): Trial {
  if (source.file !== undefined && source.preset !== undefined) throw new UserError('give either an experiment file or --preset, not both (a file can extend a preset: extends: preset:NAME)');
  const file = source.preset !== undefined ? presetFile(source.preset) : source.file ?? null;
  const exp = loadExperiment(file, source);
  if (exp.trials.length !== 1) {
    throw new UserError(`${labelOf(exp.file)}: expands to ${exp.trials.length} trials, and one run trains one; run them all with: digits run ${labelOf(exp.file)}`);
  }
  return exp.trials[0];
}
