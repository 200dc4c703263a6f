/** Crash safety: which running runs have lost their process (dead pid or silent heartbeat). */
import fs from 'node:fs';
import os from 'node:os';
import type Database from 'better-sqlite3';
import type { StaleRunOptions } from './types';

/**
 * True if a process with this pid exists and is not a zombie (EPERM means it exists but belongs to
 * someone else). A killed process whose parent died too stays a zombie until init reaps it; it
 * holds no lease.
 */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return !isZombie(pid);
}

/** Linux: the state letter of /proc/<pid>/stat is Z (zombie) or X (dead); false where /proc is missing. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state === 'Z' || state === 'X';
  } catch {
    return false;
  }
}

interface RunningRow {
  id: string;
  pid: number | null;
  host: string | null;
  heartbeat_at: string | null;
  started_at: string | null;
  created_at: string;
}

/** Why a running run is stale, or null if it looks alive. */
function staleReason(r: RunningRow, host: string, cutoff: string): string | null {
  if (r.pid !== null && r.host === host && !isPidAlive(r.pid)) return `its process ${r.pid} on ${host} is gone`;
  const last = r.heartbeat_at ?? r.started_at ?? r.created_at;
  if (last < cutoff) return `no heartbeat since ${last}`;
  return null;
}

/**
 * Marks stale running runs as interrupted in one immediate transaction; returns their ids.
 * A run is stale when its pid is dead on this host, or its heartbeat is older than heartbeatSeconds.
 */
export function markStale(db: Database.Database, options: StaleRunOptions = {}): string[] {
  const now = options.now ?? new Date();
  const host = options.host ?? os.hostname();
  const cutoff = new Date(now.getTime() - (options.heartbeatSeconds ?? 120) * 1000).toISOString();
  const only = options.runIds;
  const select = db.prepare<string[], RunningRow>(
    `SELECT id, pid, host, heartbeat_at, started_at, created_at FROM runs WHERE status = 'running'${only ? ` AND id IN (${only.map(() => '?').join(', ')})` : ''}`,
  );
  const update = db.prepare(
    "UPDATE runs SET status = 'interrupted', ended_at = ?, error = ? WHERE id = ? AND status = 'running'",
  );
  return db.transaction(() => {
    const marked: string[] = [];
    for (const r of select.all(...(only ?? []))) {
      const reason = staleReason(r, host, cutoff);
      if (reason === null) continue;
      update.run(now.toISOString(), `interrupted: ${reason}`, r.id);
      marked.push(r.id);
    }
    return marked;
  }).immediate();
}

/**
 * Thrown by a fenced write when this process no longer holds the run's lease: the run was marked
 * stale and claimed again (a newer attempt), or it ended. The writer must stop without writing.
 * Not a user mistake and not a bug: the runner reports the trial as taken over.
 */
export class LeaseLostError extends Error {
  constructor(readonly runId: string, readonly attempt: number, readonly now: { status: string; attempt: number } | null) {
    super(now === null
      ? `run ${runId} no longer exists; attempt ${attempt} stops without writing`
      : `run ${runId} is no longer held by attempt ${attempt} (it is ${now.status}, attempt ${now.attempt}); stopping without writing`);
    this.name = 'LeaseLostError';
  }
}

/** Works across module copies (ts-node and dist in one process), like isUserError. */
export function isLeaseLost(err: unknown): err is LeaseLostError {
  return err instanceof Error && err.name === 'LeaseLostError';
}

/** Throws LeaseLostError unless run `runId` is running under `attempt`. Call inside the write transaction. */
export function checkLease(db: Database.Database, runId: string, attempt: number): void {
  const row = db.prepare<[string], { status: string; attempt: number }>('SELECT status, attempt FROM runs WHERE id = ?').get(runId);
  if (!row || row.status !== 'running' || row.attempt !== attempt) throw new LeaseLostError(runId, attempt, row ?? null);
}
