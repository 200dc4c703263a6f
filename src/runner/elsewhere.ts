/**
 * Trials another `digits run` holds. This grid does not train them while that process's lease
 * lives, but it watches them until they end: finished or failed there, or their lease died (the
 * process is gone from this host, or its heartbeat is older than the stale limit), in which case
 * this grid takes the trial over and resumes its run. So a runner killed mid-trial leaves no
 * trial `running` behind while another runner of the same grid is alive.
 */
import { importJournals, type TrackingStore } from '../tracking';
import type { QueuedTrial } from './queue';

/** What became of a watched trial. */
export type ElsewhereOutcome =
  | { kind: 'finished'; item: QueuedTrial }
  | { kind: 'failed'; item: QueuedTrial; runId: string; error: string }
  | { kind: 'take-over'; item: QueuedTrial; staleRunId: string | null };

export class ElsewhereWatch {
  private readonly items = new Map<string, QueuedTrial>();

  add(item: QueuedTrial): void {
    this.items.set(item.trial.hash, item);
  }

  get size(): number {
    return this.items.size;
  }

  /** Names of the trials still watched (running in another process). */
  names(): string[] {
    return [...this.items.values()].map((item) => item.trial.name);
  }

  /**
   * Marks the watched trials' dead leases stale (interrupted), then settles every watched trial
   * that no live process holds any more. A taken-over trial resumes its latest interrupted or
   * queued run of the same experiment, else gets a new one.
   */
  check(store: TrackingStore, staleAfterSeconds: number, runsDir?: string): ElsewhereOutcome[] {
    if (this.items.size === 0) return [];
    const lookUp = () => new Map([...this.items.keys()].map((hash) => [hash, store.findByHash(hash)]));
    let byHash = lookUp();
    if (runsDir) {
      // Runs a cluster task trains report through their journals: import them before judging their leases.
      const ids = [...byHash.values()].flat().filter((r) => r.status !== 'finished' && r.status !== 'failed').map((r) => r.id);
      if (ids.length && importJournals(store, runsDir, { runIds: ids, force: true }).imported.length) byHash = lookUp();
    }
    const running = [...byHash.values()].flat().filter((r) => r.status === 'running').map((r) => r.id);
    const marked = new Set(running.length ? store.markStaleRuns({ heartbeatSeconds: staleAfterSeconds, runIds: running }) : []);
    const out: ElsewhereOutcome[] = [];
    for (const [hash, item] of this.items) {
      const runs = (byHash.get(hash) ?? []).map((r) => (marked.has(r.id) ? { ...r, status: 'interrupted' as const } : r));
      if (runs.some((r) => r.status === 'running')) continue;
      this.items.delete(hash);
      const last = runs[runs.length - 1];
      if (runs.some((r) => r.status === 'finished')) out.push({ kind: 'finished', item });
      else if (last?.status === 'failed') out.push({ kind: 'failed', item, runId: last.id, error: last.error ?? 'failed' });
      else {
        const resumable = runs.filter((r) => (r.status === 'interrupted' || r.status === 'queued') && r.experiment === item.trial.experiment);
        item.runId = resumable.length ? resumable[resumable.length - 1].id : null;
        out.push({ kind: 'take-over', item, staleRunId: [...marked].find((id) => runs.some((r) => r.id === id)) ?? null });
      }
    }
    return out;
  }
}
