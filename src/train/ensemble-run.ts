/**
 * Training and recording an ensemble run. Members are combined from their class probabilities:
 *   {spec}   trained here, one after another, on the ensemble's own data split, with derived seeds;
 *   {run}    a finished run: its stored validation/test probabilities, nothing retrained;
 *   {trial}  another trial of the same experiment (by trial hash): its finished run's probabilities.
 * Every member must have predicted the same validation and test images (same data.*, and the same
 * split seed: data.splitSeed, else the run's seed).
 */
import type { CnnSpec, EnsembleMember, EnsembleSpec, RunSpec, RnnSpec } from '../config';
import { completeSpec, trialHash } from '../config';
import type { Mnist } from '../data';
import { UserError } from '../errors';
import { combineProbabilities, saveModel, weightsFromAccuracy } from '../models';
import {
  memberModelDir, readRunArtifacts, runFolderPath, writeRunConfig, writeRunMembers,
  type Provenance, type RunSummary, type StoredProbs, type TrackingStore,
} from '../tracking';
import { disposeData, prepareData } from './data';
import { calibrationRecord, writeRunEvaluation } from './artifacts';
import { trainRun } from './loop';
import { withDataHash } from './provenance';
import { evaluate } from './metrics';
import type { BatchProgress, TrainingData } from './options';
import { endRunAfterError, type RecordedRun } from './record';
import type { EpochMetrics } from './types';

export interface EnsembleRunInput {
  spec: RunSpec; // spec.model.kind === 'ensemble'
  mnist: Mnist;
  runsDir: string;
  provenance: Provenance;
  store: TrackingStore;
  /** An existing queued run to record into (the runner's case); otherwise a new run is created. */
  runId?: string;
  experiment?: string;
  name?: string;
  /** Progress of members trained inside the run; `member` is 0-based. */
  onEpoch?: (metrics: EpochMetrics, member: number) => void;
  onBatch?: (progress: BatchProgress, member: number) => void;
  signal?: AbortSignal;
}

/** One member's probabilities on both splits, and where they came from. */
interface MemberProbs {
  kind: 'spec' | 'run' | 'trial';
  label: string; // for messages: 'member 0 (cnn)', 'run 2026...', 'trial "cnn"'
  runId: string | null;
  validation: StoredProbs;
  test: StoredProbs;
  epochs: number;
}

/** The seed of inline member i: the ensemble's seed shifted by 1000 per member (stays an int32). */
export function memberSeed(seed: number, index: number): number {
  return (seed + 1000 * (index + 1)) % 2147483647;
}

/**
 * Trains (inline members) and combines an ensemble, recording it like trainAndRecord records a
 * single network: status, validation/test Evaluations, summary, artifacts (combined probabilities,
 * metrics, confusion, members.json) and the members' run ids as tags `ensemble_members`.
 * Ends the run 'failed' with the error (rethrown) when a member is missing or unfinished.
 *
 * @example await trainEnsembleAndRecord({ spec, mnist, runsDir: 'runs', provenance, store })
 */
export async function trainEnsembleAndRecord(given: EnsembleRunInput): Promise<RecordedRun> {
  const input = { ...given, spec: completeSpec(given.spec) }; // a spec built by hand may lack the fields added after the first release
  const { spec, store } = input;
  const model = spec.model as EnsembleSpec;
  if (model.kind !== 'ensemble') throw new Error('trainEnsembleAndRecord needs an ensemble spec');
  const id = input.runId ?? store.createRun({ experiment: input.experiment ?? 'cli', name: input.name ?? 'ensemble', trialHash: trialHash(spec), spec, seed: spec.seed }).id;
  const dir = runFolderPath(input.runsDir, id);
  const started = performance.now();
  try {
    store.startRun(id, withDataHash(input.provenance, input.mnist), dir); // first: a worker that lost the run's lease writes nothing
    writeRunConfig(dir, spec);
    const stored = model.members.map((m, i) => (isSpecMember(m) ? null : storedMember(store, m, i)));
    const members = await trainInlineMembers(input, id, dir, stored);
    const summaryBase = { trainSeconds: (performance.now() - started) / 1000, epochs: members?.reduce((s, m) => s + m.epochs, 0) ?? 0 };
    if (members === null) {
      store.endRun(id, 'interrupted');
      return { id, dir, status: 'interrupted', summary: emptySummary(summaryBase), validation: null, test: null };
    }
    return finish(input, id, dir, members, summaryBase);
  } catch (err) {
    endRunAfterError(store, id, err);
    throw err;
  }
}

function isSpecMember(m: EnsembleMember): m is { spec: CnnSpec | RnnSpec; name?: string } {
  return 'spec' in m;
}

/** A {run} or {trial} member's stored probabilities; UserError when it has none. */
function storedMember(store: TrackingStore, m: EnsembleMember, index: number): MemberProbs {
  let runId: string;
  let label: string;
  if ('run' in m) {
    label = `member ${index} (run "${m.run}")`;
    try {
      runId = store.resolveRunId(m.run);
    } catch (err) {
      throw new UserError(`${label}: ${(err as Error).message}`);
    }
  } else if ('trial' in m) {
    label = `member ${index} (trial "${m.trial}")`;
    const finished = m.hash ? store.findByHash(m.hash).filter((r) => r.status === 'finished') : [];
    if (finished.length === 0) throw new UserError(`${label}: that trial has no finished run (trial hash ${m.hash ?? 'unknown'}); run the experiment so it trains first`);
    runId = finished[finished.length - 1].id;
  } else {
    throw new Error('storedMember: an inline member has no stored run');
  }
  const run = store.getRun(runId);
  if (!run || run.status !== 'finished' || !run.artifactDir) {
    throw new UserError(`${label}: run ${runId} is ${run?.status ?? 'missing'}; only finished runs can join an ensemble`);
  }
  const artifacts = readRunArtifacts(run.artifactDir);
  if (!artifacts.validationProbs || !artifacts.testProbs) {
    throw new UserError(`${label}: ${run.artifactDir} has no stored validation and test probabilities; re-run ${runId} (digits rerun ${runId})`);
  }
  return { kind: 'run' in m ? 'run' : 'trial', label, runId, validation: artifacts.validationProbs, test: artifacts.testProbs, epochs: 0 };
}

/**
 * Fills the inline ({spec}) members by training them one after another; null when aborted.
 * Each member's model is saved under <dir>/members/<i>/model.
 */
async function trainInlineMembers(input: EnsembleRunInput, id: string, dir: string, stored: (MemberProbs | null)[]): Promise<MemberProbs[] | null> {
  const model = input.spec.model as EnsembleSpec;
  if (stored.every((m) => m !== null)) return stored as MemberProbs[];
  const data: TrainingData = prepareData(input.mnist, input.spec);
  try {
    const out: MemberProbs[] = [];
    for (const [i, member] of model.members.entries()) {
      if (!isSpecMember(member)) {
        out.push(stored[i] as MemberProbs);
        continue;
      }
      const memberSpec: RunSpec = { ...input.spec, model: member.spec, seed: memberSeed(input.spec.seed, i) };
      const result = await trainRun(memberSpec, data, {
        signal: input.signal,
        onBatch: (p) => input.onBatch?.(p, i),
        onEpoch: (m) => {
          input.store.heartbeat(id);
          input.onEpoch?.(m, i);
        },
      });
      try {
        if (result.status !== 'finished' || !result.validationProbs || !result.testProbs) return null;
        input.store.underLease(id, () => undefined); // still ours (checked, heartbeat renewed) before writing
        await saveModel(result.model, memberModelDir(dir, i));
      } finally {
        result.model.dispose();
      }
      out.push({
        kind: 'spec', label: `member ${i} (${member.name ?? member.spec.kind})`, runId: null, epochs: result.history.length,
        validation: { probs: result.validationProbs, labels: data.validation.labels },
        test: { probs: result.testProbs, labels: data.test.labels },
      });
    }
    return out;
  } finally {
    disposeData(data);
  }
}

/** Combines the members, writes the artifacts and finishes the run. */
function finish(input: EnsembleRunInput, id: string, dir: string, members: MemberProbs[], base: { trainSeconds: number; epochs: number }): RecordedRun {
  const method = (input.spec.model as EnsembleSpec).combine;
  checkSameImages(members, 'validation');
  checkSameImages(members, 'test');
  const memberAccuracy = members.map((m) => evaluate(m.validation.probs, m.validation.labels).accuracy);
  const weights = method === 'weighted' ? weightsFromAccuracy(memberAccuracy) : members.map(() => 1 / members.length);
  const validationProbs = combineProbabilities(members.map((m) => m.validation.probs), method, weights);
  const testProbs = combineProbabilities(members.map((m) => m.test.probs), method, weights);
  const labels = { validation: members[0].validation.labels, test: members[0].test.labels };
  const validation = evaluate(validationProbs, labels.validation);
  const test = evaluate(testProbs, labels.test);
  const summary: RunSummary = {
    ...emptySummary(base),
    bestValAccuracy: validation.accuracy, bestValLoss: validation.loss ?? 0,
    finalValAccuracy: validation.accuracy, finalValLoss: validation.loss ?? 0,
  };
  input.store.underLease(id, () => undefined); // still ours (checked, heartbeat renewed) before writing
  const calibration = writeRunEvaluation(dir, { status: 'finished', history: [], summary, validation, test, validationProbs, testProbs }, labels);
  const described = members.map((m, i) => ({ kind: m.kind, label: m.label, runId: m.runId, weight: weights[i], validationAccuracy: memberAccuracy[i] }));
  writeRunMembers(dir, described);
  input.store.setTags(id, {
    ensemble_combine: method,
    ensemble_members: members.map((m) => m.runId ?? 'inline').join(','),
  });
  input.store.finishRun(id, { summary, validation, test, calibration: calibrationRecord(calibration) });
  return { id, dir, status: 'finished', summary, validation, test };
}

/** Members must have predicted the same images, in the same order. */
function checkSameImages(members: MemberProbs[], split: 'validation' | 'test'): void {
  const first = members[0][split].labels;
  for (const m of members.slice(1)) {
    const other = m[split].labels;
    if (other.length !== first.length || other.some((l, k) => l !== first[k])) {
      throw new UserError(
        `${m.label}: its ${other.length} ${split} predictions are not on the same images as ${members[0].label}'s ${first.length}; ` +
          (split === 'test'
            ? 'ensemble members need the same data.testLimit'
            : 'ensemble members need the same data.trainLimit and data.validationFraction, and the same split seed: ' +
              'train runs of different seeds with one data.splitSeed (e.g. data: {splitSeed: 1}, or digits train --split-seed 1)'),
      );
    }
  }
}

function emptySummary(base: { trainSeconds: number; epochs: number }): RunSummary {
  return {
    epochs: base.epochs, bestEpoch: 0, bestValAccuracy: 0, bestValLoss: 0, finalValAccuracy: 0, finalValLoss: 0,
    trainSeconds: base.trainSeconds, imagesPerSec: 0, peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
