import type { Logger } from 'pino';

/** What one tick reports: 'again' when there is more work now (drain without waiting). */
export type TickResult = void | 'again';

export interface TickerOptions {
  /** Names the loop in logs. */
  name: string;
  /** Pause between ticks when a tick reports no more work. */
  everyMs: number;
  /** Run the first tick at start instead of after the first pause. */
  runAtStart?: boolean;
  logger?: Logger;
}

/**
 * The one start/stop/no-overlap loop of the suite (outbox relays, sweepers, monitors, feeds):
 * ticks never overlap, `nudge()` runs one now (or right after the one in flight), a tick that
 * throws is logged and the loop goes on, and `stop()` waits for the tick in flight so shutdown
 * never cuts a transaction in half. Timers are unref'd: a loop never keeps a process alive.
 */
export class Ticker {
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private wanted = false;
  private started = false;

  constructor(
    private readonly work: () => Promise<TickResult>,
    private readonly options: TickerOptions,
  ) {}

  get running(): boolean {
    return this.started;
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    if (this.options.runAtStart) this.nudge();
    else this.schedule(this.options.everyMs);
  }

  /** Run a tick as soon as possible (after the one in flight, if any). */
  nudge(): void {
    if (!this.started) return;
    if (this.inFlight) {
      this.wanted = true;
      return;
    }
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.started = false;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), ms);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.inFlight || !this.started) return;
    const outcome = this.work().catch((err: unknown): TickResult => {
      this.options.logger?.warn({ err, loop: this.options.name }, 'tick failed');
    });
    this.inFlight = outcome.then(() => undefined);
    const result = await outcome;
    this.inFlight = undefined;
    if (!this.started) return;
    const again = result === 'again' || this.wanted;
    this.wanted = false;
    this.schedule(again ? 0 : this.options.everyMs);
  }
}
