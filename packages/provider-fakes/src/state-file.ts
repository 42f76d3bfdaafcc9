import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A fake's state on disk, so a restart of `npm start` keeps what the providers would keep
 * (sessions a donor still has open, charges finance refunds later). One JSON file, replaced
 * atomically (write a temporary file, rename over the old one): a crash mid-write leaves the
 * previous state, never half a file. Maps are stored as arrays of [key, value] entries.
 */
export class StateFile {
  private timer?: NodeJS.Timeout;
  private pending?: () => Record<string, unknown>;

  /**
   * delayMs 0 writes on every save (tests, the default). Above 0 (the local suite), saves within
   * that window are coalesced into one write of the latest state: the whole state is rewritten
   * each time, so writing it per request grew with every gift the demo ever took. What a hard
   * crash inside the window loses is the fake's last changes, never the services' records.
   */
  constructor(
    readonly path: string,
    private readonly delayMs = 0,
  ) {}

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

  /** Saves the maps (as [key, value] entries) and any other plain values. */
  saveMaps(maps: Record<string, Map<unknown, unknown>>, extra: Record<string, unknown> = {}): void {
    const build = () => {
      const entries = Object.entries(maps).map(([name, map]) => [name, [...map]]);
      return { ...Object.fromEntries(entries), ...extra };
    };
    if (this.delayMs <= 0) return this.save(build());
    this.pending = build;
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.delayMs);
      this.timer.unref(); // flush() on stop writes what is pending
    }
  }

  /** Writes a coalesced save now (on stop). */
  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const build = this.pending;
    this.pending = undefined;
    if (build) this.save(build());
  }

  /** Refills the maps from the file; returns everything saved (for the other values), or null. */
  loadMaps(maps: Record<string, Map<unknown, unknown>>): Record<string, unknown> | null {
    const saved = this.load();
    if (!saved) return null;
    for (const [name, map] of Object.entries(maps)) {
      map.clear();
      for (const [k, v] of (saved[name] as [unknown, unknown][] | undefined) ?? []) map.set(k, v);
    }
    return saved;
  }
}
