/** Run tracking: the TrackingStore interface and its SQLite implementation. */
export * from './types';
export type { ClassMetrics, Evaluation, EpochMetrics, StepMetrics } from './records';
export { openStore, defaultDbPath, PROJECT_ROOT, type OpenOptions } from './open';
export { SqliteStore } from './store';
export { isPidAlive, LeaseLostError, isLeaseLost } from './lease';
export { newRunId } from './ids';
export { RUN_STATUSES } from './rows';
export { groupBySeed, stat, type SeedGroup, type Stat } from './groups';
export { configKey, isSeedParam } from './groups';
export { appendEvent, compareAttempts, isSuperseded, journalPath, readJournal, replayJournal, JOURNAL_FILE } from './journal';
export type { AttemptId, AttemptInfo, JournalEvent, JournalEventBody, JournalState } from './journal';
export { importJournals, applyJournal, attemptTags, type ImportResult } from './journal-import';
export { JournalStore, FencedError, type KnownRun } from './journal-store';
export { storageProblem, holdReserve, releaseReserve, reserveFile, RESERVE_BYTES } from './storage';
