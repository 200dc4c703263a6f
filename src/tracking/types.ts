/**
 * Plain objects that the tracking store takes and returns. Database rows never leave src/tracking:
 * everything outside sees only these types and the TrackingStore interface.
 */
import type { RunSpec } from '../config';
import type { EpochMetrics, Evaluation, StepMetrics } from './records';

/** What deleting a run did with its folder: removed it, or kept it because this database does not own it. */
export interface DeletedRun {
  removedFolder: string | null;
  keptFolder: { dir: string; reason: string } | null;
}

export type RunStatus = 'queued' | 'running' | 'finished' | 'failed' | 'interrupted';

/** Where and with what a run was made: enough to reproduce it. */
export interface Provenance {
  backend: string; // 'node' | 'wasm' | 'cpu'
  versions: Record<string, string>; // tfjs, node, digit-lab, ...
  gitCommit: string | null;
  gitDirty: boolean | null;
  lockfileHash: string | null;
  dataHash: string | null;
  host: string;
  pid: number;
}

export interface RunSummary {
  epochs: number; // epochs run
  bestEpoch: number;
  bestValAccuracy: number;
  bestValLoss: number;
  finalValAccuracy: number;
  finalValLoss: number;
  trainSeconds: number;
  imagesPerSec: number;
  peakRssMb: number | null;
}

export interface Run {
  id: string;
  experiment: string;
  name: string;
  trialHash: string;
  status: RunStatus;
  spec: RunSpec;
  params: Record<string, string | number | boolean | null>; // flattened dotted keys of spec
  seed: number;
  createdAt: string; // ISO 8601
  startedAt: string | null;
  endedAt: string | null;
  heartbeatAt: string | null;
  summary: RunSummary | null;
  validation: Evaluation | null;
  test: Evaluation | null;
  /** The temperature fitted on validation and the test ECE after it (RunResult.calibration); null without one. */
  calibration: RunResult['calibration'];
  provenance: Provenance | null;
  artifactDir: string | null; // absolute: the store resolves its stored path against its runs folder
  tags: Record<string, string>;
  note: string | null;
  error: string | null;
  /** How many times the run was claimed (0: never). The current attempt holds the lease. */
  attempt: number;
}

export interface RunQuery {
  experiment?: string[];
  status?: RunStatus[];
  where?: string; // e.g. "val_accuracy>0.99 and model.kind=cnn"
  sort?: string; // e.g. "-test_accuracy"
  limit?: number;
  ids?: string[];
}

/**
 * Who holds a running run's lease: the process that trains it. Executors that run trials
 * elsewhere (a scheduler's job) may extend it with their own identity.
 */
export interface RunOwner {
  pid: number;
  host: string;
}

/** A worker's right to write a run: the run and the attempt its claim got (the fencing token). */
export interface Lease {
  runId: string;
  attempt: number;
}

export interface StaleRunOptions {
  heartbeatSeconds?: number; // a running run silent for longer is stale (default 120)
  host?: string; // this machine (default os.hostname()); pids are only checked for runs on it
  now?: Date;
  /** Only these runs (default: every running run). */
  runIds?: string[];
}

/** What finishRun records: the values the result columns are computed from. */
export interface RunResult {
  summary: RunSummary;
  validation: Evaluation;
  test: Evaluation;
  /** The run's temperature scaling (train/calibrate.ts) and the test ECE after it; absent without one. */
  calibration?: { temperature: number; testEce: number | null } | null;
}

/**
 * The narrow storage interface (MLflow-style): a handful of core writes, everything else built on them.
 * Implementations must keep the database consistent if the process dies at any point.
 */
export interface TrackingStore {
  /** Where the store lives (the database file), for messages. */
  readonly file: string;
  createRun(input: { experiment: string; name: string; trialHash: string; spec: RunSpec; seed: number }): Run;
  startRun(id: string, provenance: Provenance, artifactDir: string): void;
  logEpochs(id: string, epochs: EpochMetrics[]): void;
  /** Appends (or replaces, by step number) a batch of per-step training metrics in one transaction. */
  logSteps(id: string, steps: StepMetrics[]): void;
  heartbeat(id: string): void;
  finishRun(id: string, result: RunResult): void;
  endRun(id: string, status: 'failed' | 'interrupted', error?: string): void;
  getRun(id: string): Run | null;
  history(id: string): EpochMetrics[];
  /** The run's per-step training metrics in step order (empty for runs recorded before steps existed). */
  steps(id: string): StepMetrics[];
  listRuns(query?: RunQuery): Run[];
  findByHash(trialHash: string): Run[];
  setTags(id: string, tags: Record<string, string>): void;
  setNote(id: string, note: string): void;
  /** Deletes the run's record, and its folder when tracking.json says this database owns it. */
  deleteRun(id: string): DeletedRun;
  /**
   * Atomically takes a queued/interrupted/failed run for `owner` as a new attempt; returns that
   * attempt (the lease), or null if another process has the run or it finished.
   */
  claimRun(id: string, owner: RunOwner): number | null;
  /**
   * From now on every write of this store object to `lease.runId` (start, epochs, steps, heartbeat, tags,
   * finish, end, underLease) first checks, inside its transaction, that the run is still running
   * under `lease.attempt`, and throws LeaseLostError without writing when it is not.
   */
  holdLease(lease: Lease): void;
  /** Stops checking writes to `runId` (the trial is over). */
  dropLease(runId: string): void;
  /**
   * Runs `fn` inside one immediate transaction after the lease check of `runId` (when a lease on it
   * is held), renewing the heartbeat: for artifact writes that must not race a new attempt.
   */
  underLease<T>(runId: string, fn: () => T): T;
  /** Marks running runs whose pid is dead (same host) or whose heartbeat is too old as interrupted. */
  markStaleRuns(options?: StaleRunOptions): string[];
  /** The full id of a run from a unique prefix; UserError (exit 2) with suggestions otherwise. */
  resolveRunId(idOrPrefix: string): string;
  /** Names `--where` and `--sort` accept: run columns, `tag.<key>` and every param key stored. */
  queryNames(): string[];
  close(): void;
}
