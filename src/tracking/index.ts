/** Run tracking: the TrackingStore interface and its SQLite implementation, run ids, and the run folder. */
export * from './types';
export type { ClassMetrics, Evaluation, EpochMetrics, StepMetrics } from './records';
export { openStore, defaultDbPath, type OpenOptions } from './open';
export { SqliteStore } from './store';
export { isPidAlive, LeaseLostError, isLeaseLost } from './lease';
export { newRunId } from './ids';
export { RUN_STATUSES } from './rows';
export { groupBySeed, stat, configKey, isSeedParam, type SeedGroup, type Stat } from './groups';
export { appendEvent, compareAttempts, isSuperseded, journalPath, readJournal, replayJournal, JOURNAL_FILE } from './journal';
export type { AttemptId, AttemptInfo, JournalEvent, JournalEventBody, JournalState } from './journal';
export { importJournals, applyJournal, attemptTags, type ImportResult } from './journal-import';
export { JournalStore, FencedError, type KnownRun } from './journal-store';
export { storageProblem, holdReserve, releaseReserve } from './storage';
export { RunLookupError, type RunProblem } from './lookup-error';
export { resolveRunIdIn, idsSource, type IdSource, type IdCandidate } from './resolve';
export {
  PROJECT_ROOT, RUN_FOLDER_NAME, runsDirFor, runFolderPath, runFolderModelDir, memberModelDir,
  writeRunConfig, writeRunEvaluation, writeRunMembers, readRunEnsemble, readRunArtifacts,
  cleanRunFolder, stagingFolder, checkpointFolder, ensureRunsDir, writeRunCalibration, readRunCalibration, canPredict,
} from './run-folder';
export { peekRunConfig, peekRunMetrics, runFoldersWithModel, runFolderNames } from './run-folder-scan';
export type { StoredCalibration, RunMember, RunEnsemble, StoredProbs, RunArtifacts, RunEvaluation, RunFolderMetrics, RunFolderStatus } from './run-folder';
export { bestRun, bestBy, rankRuns, rankable } from './ranking';
