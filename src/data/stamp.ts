/**
 * Remembers which files already passed their MD5 check, so later loads skip the hashing.
 * One small JSON file (by default <cache root>/verified.json, outside the possibly read-only data
 * folder) maps a file's absolute path to the size, mtime and expected MD5 it was verified with;
 * any change of the file or of the expected checksum makes the entry stale.
 */
import fs from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../files';

interface StampEntry {
  size: number;
  mtimeMs: number;
  md5: string;
}

export class VerifiedStamps {
  private entries: Record<string, StampEntry> = {};
  private dirty = false;

  /** `file` null disables the stamp: every load verifies. */
  constructor(private readonly file: string | null) {
    if (file) this.entries = readEntries(file);
  }

  /** True when `filePath` with this stat was verified against `md5` before. */
  has(filePath: string, stat: fs.Stats, md5: string): boolean {
    const e = this.entries[path.resolve(filePath)];
    return !!e && e.size === stat.size && e.mtimeMs === stat.mtimeMs && e.md5 === md5;
  }

  add(filePath: string, stat: fs.Stats, md5: string): void {
    this.entries[path.resolve(filePath)] = { size: stat.size, mtimeMs: stat.mtimeMs, md5 };
    this.dirty = true;
  }

  /** Writes the stamp atomically; a read-only cache folder only costs speed, so failures are ignored. */
  save(): void {
    if (!this.file || !this.dirty) return;
    try {
      // Merge with what other processes recorded since we read it.
      const files = { ...readEntries(this.file), ...this.entries };
      writeFileAtomic(this.file, JSON.stringify({ version: 1, files }, null, 1), { makeFolder: true });
      this.dirty = false;
    } catch {
      // A cache that cannot be saved only costs a re-check next time.
    }
  }
}

function readEntries(file: string): Record<string, StampEntry> {
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8'));
    return parsed && parsed.version === 1 && typeof parsed.files === 'object' ? parsed.files : {};
  } catch {
    return {}; // no stamp yet or an unreadable one: verify everything, write a fresh one
  }
}
