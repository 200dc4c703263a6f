/** Small builders for tracking tests: a temp db, specs, evaluations and epoch records. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { defaultRunSpec } from '../../src/config/defaults';
import type { RunSpec } from '../../src/config/types';
import { openStore } from '../../src/tracking/open';
import type { SqliteStore } from '../../src/tracking/store';
import type { Provenance, RunSummary } from '../../src/tracking/types';
import type { EpochMetrics, Evaluation } from '../../src/train/types';

export function tempDir(prefix = 'digits-tracking-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function tempStore(): { store: SqliteStore; file: string; dir: string } {
  const dir = tempDir();
  const file = path.join(dir, 'digits.sqlite');
  return { store: openStore(file, { runsDir: path.join(dir, 'runs') }), file, dir };
}

/**
 * Registers beforeEach/afterEach hooks giving every test a fresh temp store (closed and removed
 * after it). Call inside a describe; read `.store` and `.dir` in tests, not at definition time.
 */
export function storeFixture(): { store: SqliteStore; file: string; dir: string } {
  const fixture = {} as { store: SqliteStore; file: string; dir: string };
  beforeEach(() => Object.assign(fixture, tempStore()));
  afterEach(() => {
    fixture.store.close();
    fs.rmSync(fixture.dir, { recursive: true, force: true });
  });
  return fixture;
}

export function spec(change: (s: RunSpec) => void = () => undefined): RunSpec {
  const s = defaultRunSpec();
  change(s);
  return s;
}

export function evaluation(accuracy: number, loss = 0.1): Evaluation {
  const perClass = Array.from({ length: 10 }, (_, label) => ({ label, precision: accuracy, recall: accuracy, f1: accuracy, support: 100 }));
  const confusion = Array.from({ length: 10 }, (_, i) => Array.from({ length: 10 }, (_, j) => (i === j ? 100 : 0)));
  return { count: 1000, accuracy, loss, perClass, macro: { precision: accuracy, recall: accuracy, f1: accuracy }, confusion };
}

export function summary(valAccuracy: number, trainSeconds = 10): RunSummary {
  return {
    epochs: 3, bestEpoch: 2, bestValAccuracy: valAccuracy, bestValLoss: 0.1, finalValAccuracy: valAccuracy,
    finalValLoss: 0.1, trainSeconds, imagesPerSec: 500, peakRssMb: 300,
  };
}

export function epochs(n: number, from = 1): EpochMetrics[] {
  return Array.from({ length: n }, (_, i) => ({
    epoch: from + i, loss: 1 / (from + i), accuracy: 0.9, valLoss: 1 / (from + i), valAccuracy: 0.9 + i * 0.001,
    learningRate: 0.001, imagesPerSec: 600, seconds: 2,
  }));
}

export function provenance(pid = process.pid, host = os.hostname()): Provenance {
  return {
    backend: 'cpu', versions: { node: process.version }, gitCommit: null, gitDirty: null, lockfileHash: null,
    dataHash: null, host, pid,
  };
}

/** A finished run with the given accuracies. */
export function finishedRun(store: SqliteStore, experiment: string, name: string, s: RunSpec, valAcc: number, testAcc: number, seconds = 10) {
  const run = store.createRun({ experiment, name, trialHash: `${name}-hash`, spec: s, seed: s.seed });
  store.startRun(run.id, provenance(), `/tmp/none/${run.id}`);
  store.finishRun(run.id, { summary: summary(valAcc, seconds), validation: evaluation(valAcc), test: evaluation(testAcc) });
  return run.id;
}

/** Gives a run a chosen id (tests of prefixes need ids that share their start); returns the new id. */
export function renameRun(file: string, from: string, to: string): string {
  const db = new Database(file);
  db.pragma('foreign_keys = OFF'); // children are renamed in the same transaction
  try {
    db.transaction(() => {
      for (const table of ['params', 'metrics', 'tags']) db.prepare(`UPDATE ${table} SET run_id = ? WHERE run_id = ?`).run(to, from);
      db.prepare('UPDATE runs SET id = ? WHERE id = ?').run(to, from);
    })();
  } finally {
    db.close();
  }
  return to;
}
