import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A fake's state on disk, so a restart of `npm start` keeps what the providers would keep
 * (sessions a donor still has open, charges finance refunds later). One JSON file, replaced
 * atomically (write a temporary file, rename over the old one): a crash mid-write leaves the
 * previous state, never half a file. Maps are stored as arrays of [key, value] entries.
 */
export class StateFile {
  constructor(readonly path: string) {}

  load(): Record<string, unknown> | null {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
    return JSON.parse(text) as Record<string, unknown>;
  }

  save(state: Record<string, unknown>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const tmp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(state));
    renameSync(tmp, this.path);
  }
}

/** Fills `target` (a readonly field of a fake) from saved [key, value] entries. */
export function restoreMap<K, V>(target: Map<K, V>, saved: unknown): void {
  target.clear();
  for (const [k, v] of (saved as [K, V][] | undefined) ?? []) target.set(k, v);
}
