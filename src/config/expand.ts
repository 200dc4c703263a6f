/**
 * Expanding an experiment definition into trials: variants x grid x random samples x seeds,
 * each resolved against the defaults, validated and hashed.
 */
import { UserError } from '../errors';
import { crossFieldIssues } from './checks';
import { completeSpec } from './complete';
import { RESOLVE_DEFAULTS } from './defaults';
import { LIMITS } from './limits';
import { formatIssue } from './format';
import { canonicalJson, trialHash } from './hash';
import { deepMerge, getPath, parseDottedKey, pathsOverlap, setOwn, setPath } from './merge';
import { flattenParams } from './params';
import { sampleRandom, type RandomSearch } from './random';
import { resolve, type Issue, type PathSeg } from './schema';
import { RUN_SPEC_RULE } from './spec-schema';
import type { EnsembleSpec, RunSpec, Trial } from './types';
import type { Source } from './yaml-source';

/** An experiment as plain data (what a YAML file holds after `extends` is merged). */
export interface ExperimentDefinition {
  name: string;
  description?: string;
  data?: unknown;
  model?: unknown;
  train?: unknown;
  seed?: unknown;
  grid?: Record<string, unknown[]>;
  random?: RandomSearch;
  seeds?: number[];
  trials?: { name: string; data?: unknown; model?: unknown; train?: unknown; seed?: unknown }[];
  /** `--set` overrides, dotted key -> value, applied last; they replace grid/random axes on the same key. */
  set?: Record<string, unknown>;
}

/** Where the parts of a definition were written, for messages; all optional. */
export interface Positions {
  label: string; // the file, for issues no source can place
  base: Source[]; // child file first, then what it extends
  set?(key: string): Source | null;
  grid?(key: string, index: number): Source | null;
  random?(key: string): Source | null;
  seed?(index: number): Source | null;
  variant?(index: number): Source | null;
}

interface Override { key: string; path: PathSeg[]; value: unknown; source: Source | null; show: boolean }
interface Point { variant: string | null; variantPatch: unknown; variantSource: Source | null; overrides: Override[] }

const SHORT: Record<string, string> = { learningRate: 'lr', batchSize: 'batch' };

/** Resolves a partial spec against the defaults, collecting every issue; derived fields (splitSeed) stay unset. */
function resolvePartial(raw: unknown, issues: Issue[]): RunSpec {
  const spec = resolve(RUN_SPEC_RULE, raw ?? {}, RESOLVE_DEFAULTS, [], issues) as RunSpec;
  if (issues.length === 0) issues.push(...crossFieldIssues(spec));
  return spec;
}

/**
 * Resolves a partial spec (what an experiment file writes) into a complete RunSpec: every default
 * filled from defaults.ts, every problem collected into `issues`.
 * @example resolveSpec({ train: { epochs: 2 } }, []).train.batchSize // 64
 */
export function resolveSpec(raw: unknown, issues: Issue[]): RunSpec {
  return completeSpec(resolvePartial(raw, issues));
}

function baseRaw(def: ExperimentDefinition): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  for (const key of ['data', 'model', 'train', 'seed'] as const) if (def[key] !== undefined) raw[key] = def[key];
  return raw;
}

function setOverrides(def: ExperimentDefinition, pos: Positions): Override[] {
  return Object.entries(def.set ?? {}).map(([key, value]) => ({
    key, path: parseDottedKey(key), value, source: pos.set?.(key) ?? null, show: false,
  }));
}

/** How many trials a definition expands to, computed without expanding it. */
export function trialCount(def: ExperimentDefinition, sets: Override[] = []): number {
  const replaced = (key: string) => sets.some((s) => pathsOverlap(s.path, parseDottedKey(key)));
  let n = Math.max(1, def.trials?.length ?? 0);
  for (const [key, values] of Object.entries(def.grid ?? {})) if (!replaced(key) && Array.isArray(values)) n *= values.length;
  if (def.random && typeof def.random.n === 'number') n *= def.random.n;
  if (def.seeds?.length && !replaced('seed')) n *= def.seeds.length;
  return n;
}

/** The cartesian product of variants, grid axes, random samples and seeds, minus axes --set replaced. */
function points(def: ExperimentDefinition, pos: Positions, sets: Override[]): Point[] {
  const replaced = (path: PathSeg[]) => sets.some((s) => pathsOverlap(s.path, path));
  let out: Point[] = (def.trials?.length ? def.trials : [null]).map((t, i) => ({
    variant: t?.name ?? null,
    variantPatch: t ? baseRaw(t as ExperimentDefinition) : undefined,
    variantSource: t ? pos.variant?.(i) ?? null : null,
    overrides: [],
  }));
  const axis = (options: Override[][]) => {
    out = out.flatMap((p) => options.map((o) => ({ ...p, overrides: [...p.overrides, ...o] })));
  };
  for (const [key, values] of Object.entries(def.grid ?? {})) {
    const path = parseDottedKey(key);
    if (replaced(path)) continue;
    axis(values.map((value, i) => [{ key, path, value, source: pos.grid?.(key, i) ?? null, show: true }]));
  }
  if (def.random) {
    const samples = sampleRandom(def.random).map((sample) =>
      Object.entries(sample)
        .filter(([key]) => !replaced(parseDottedKey(key)))
        .map(([key, value]) => ({ key, path: parseDottedKey(key), value, source: pos.random?.(key) ?? null, show: true })),
    );
    axis(samples);
  }
  if (def.seeds?.length && !replaced(['seed'])) {
    axis(def.seeds.map((value, i) => [{ key: 'seed', path: ['seed'], value, source: pos.seed?.(i) ?? null, show: true }]));
  }
  return out;
}

function showValue(v: unknown): string {
  if (v !== null && typeof v === 'object') return 'kind' in v ? String((v as { kind: unknown }).kind) : JSON.stringify(v);
  return String(v);
}

/**
 * A readable, unique-per-experiment name: "lstm lr=0.003 batch=128 seed=2", then the `--set`
 * overrides that changed the file ("lr=0.003 epochs=3"); the experiment's name when nothing varies
 * ("cnn-baseline", "cnn-baseline epochs=3").
 */
function trialName(def: ExperimentDefinition, p: Point, sets: Override[]): string {
  const shown = [...p.overrides.filter((o) => o.show), ...sets.filter((s) => s.show)];
  const last = (o: Override) => String(o.path[o.path.length - 1]);
  const shorts = shown.map((o) => (Object.hasOwn(SHORT, last(o)) ? SHORT[last(o)] : last(o)));
  const parts = shown.map((o, i) => {
    const label = shorts.indexOf(shorts[i]) === shorts.lastIndexOf(shorts[i]) ? shorts[i] : o.key;
    return `${label}=${showValue(o.value)}`;
  });
  if (p.variant) parts.unshift(p.variant);
  else if (!p.overrides.some((o) => o.show) && parts.length) parts.unshift(def.name);
  return parts.length ? parts.join(' ') : def.name;
}

function report(issues: Issue[], sources: Source[], pos: Positions, into: Set<string>): void {
  for (const issue of issues) into.add(formatIssue(issue, sources, pos.label));
}

/**
 * Expands a definition into trials (ensembles last), throwing one UserError that lists every problem.
 * @example expandTrials({name: 'lr', grid: {'train.optimizer.learningRate': [0.001, 0.003]}}).map(t => t.name)
 *   // ['lr=0.001', 'lr=0.003']
 */
export function expandTrials(def: ExperimentDefinition, pos: Positions = { label: def.name, base: [] }): Trial[] {
  return expandWithBase(def, pos).trials;
}

/** Formats problems as one UserError: one problem as one line; several as the file, the count, one problem per line (at most LIMITS.problems). */
export function problemsError(label: string, problems: string[]): UserError {
  const at = (line: string) => /^(.*?):(\d+):(\d+): /.exec(line);
  problems = [...problems].sort((a, b) => {
    const pa = at(a);
    const pb = at(b);
    if (!pa || !pb) return pa ? -1 : pb ? 1 : 0;
    return pa[1].localeCompare(pb[1]) || Number(pa[2]) - Number(pb[2]) || Number(pa[3]) - Number(pb[3]);
  });
  if (problems.length === 1) return new UserError(problems[0].startsWith(label) ? problems[0] : `${label}: ${problems[0]}`); // one line
  const shown = problems.slice(0, LIMITS.problems);
  if (problems.length > shown.length) shown.push(`... and ${problems.length - shown.length} more`);
  return new UserError(`${label}: ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n  ${shown.join('\n  ')}`);
}

/** expandTrials plus the resolved base spec (the file with --set, before grid/random/seeds). */
export function expandWithBase(def: ExperimentDefinition, pos: Positions): { base: RunSpec; trials: Trial[] } {
  const { base, trials, problems } = expandCollect(def, pos);
  if (problems.length) throw problemsError(pos.label, problems);
  return { base, trials };
}

/** Expansion that returns its problems (formatted lines) instead of throwing. */
export function expandCollect(def: ExperimentDefinition, pos: Positions): { base: RunSpec; trials: Trial[]; problems: string[] } {
  const problems = new Set<string>();
  const sets = setOverrides(def, pos);
  const setSources = sets.flatMap((s) => (s.source ? [s.source] : []));
  const raw = baseRaw(def);
  const fileBase = resolvePartial(structuredClone(raw), []); // what the file alone gives: containers for --set paths, and the values --set changes
  const baseIssues: Issue[] = [];
  for (const s of sets) {
    const issue = setPath(raw, s.path, s.value, fileBase);
    if (issue) baseIssues.push(issue);
  }
  const count = trialCount(def, sets);
  if (count > LIMITS.trials) {
    problems.add(`${pos.label}: expands to ${count.toLocaleString('en-US')} trials, more than the limit of ${LIMITS.trials.toLocaleString('en-US')}; split the grid into several files or use random: {n: ...} to sample it`);
    return { base: completeSpec(fileBase), trials: [], problems: [...problems] };
  }
  const base = resolvePartial(raw, baseIssues);
  report(baseIssues, [...setSources, ...pos.base], pos, problems);
  if (problems.size === 0) {
    // A --set shows in trial names when it changed the file's value, or replaced one of its axes.
    for (const s of sets) s.show = canonicalJson(getPath(fileBase, s.path)) !== canonicalJson(getPath(base, s.path));
    for (const s of sets) if (Object.keys(def.grid ?? {}).some((k) => pathsOverlap(s.path, parseDottedKey(k))) || (def.seeds?.length && s.key === 'seed')) s.show = true;
  }
  const trials: Trial[] = [];
  const variants: (string | null)[] = [];
  for (const p of points(def, pos, sets)) {
    variants.push(p.variant);
    const overrides = [...p.overrides, ...sets];
    const trialRaw = deepMerge(base, p.variantPatch) as Record<string, unknown>;
    const issues: Issue[] = [];
    for (const o of overrides) {
      const issue = setPath(trialRaw, o.path, o.value, base);
      if (issue) issues.push(issue);
    }
    const spec = issues.length ? base : resolveSpec(trialRaw, issues);
    const sources = [...overrides.reverse().flatMap((o) => (o.source ? [o.source] : [])), ...(p.variantSource ? [p.variantSource] : []), ...pos.base];
    report(issues, sources, pos, problems);
    if (problems.size > LIMITS.problems) break;
    const recorded: Record<string, unknown> = p.variantPatch ? flattenParams(p.variantPatch as Record<string, unknown>) : {};
    for (const o of p.overrides) setOwn(recorded, o.key, o.value);
    trials.push({ experiment: def.name, name: trialName(def, p, sets), spec, hash: '', overrides: recorded });
  }
  if (problems.size === 0) linkMembers(trials, variants, problems, pos);
  if (problems.size) return { base: completeSpec(base), trials: [], problems: [...problems] };
  for (const t of trials) if (t.spec.model.kind !== 'ensemble') t.hash = trialHash(t.spec);
  for (const t of trials) if (t.spec.model.kind === 'ensemble') fillMemberHashes(t, trials);
  const ordered = [...trials.filter((t) => t.spec.model.kind !== 'ensemble'), ...trials.filter((t) => t.spec.model.kind === 'ensemble')];
  return { base: completeSpec(base), trials: ordered, problems: [] };
}

/** Replaces `{trial: variant}` with the full name of that variant's trial at the same grid point. */
function linkMembers(trials: Trial[], variants: (string | null)[], problems: Set<string>, pos: Positions): void {
  trials.forEach((t, index) => {
    if (t.spec.model.kind !== 'ensemble') return;
    const model = t.spec.model as EnsembleSpec;
    const variant = variants[index] ?? '';
    model.members.forEach((m, i) => {
      if (!('trial' in m)) return;
      const suffix = variant ? t.name.slice(variant.length) : '';
      const target = trials.find((o) => o.name === m.trial) ?? trials.find((o) => o.name === `${m.trial}${suffix}`);
      if (!target || target.spec.model.kind === 'ensemble') {
        const names = trials.filter((o) => o.spec.model.kind !== 'ensemble').map((o) => JSON.stringify(o.name));
        problems.add(`${pos.label}: trial "${t.name}": model.members.${i}.trial: names no (non-ensemble) trial of this experiment, got ${JSON.stringify(m.trial)}; trials are: ${names.join(', ') || 'none'}`);
        return;
      }
      model.members[i] = { trial: target.name };
    });
  });
}

function fillMemberHashes(t: Trial, trials: Trial[]): void {
  const model = t.spec.model as EnsembleSpec;
  model.members = model.members.map((m) => ('trial' in m ? { trial: m.trial, hash: trials.find((o) => o.name === m.trial)?.hash } : m));
  t.hash = trialHash(t.spec);
}
