// A stream of Stripe gifts driven through the public API and signed webhooks, with duplicate
// deliveries and shuffled order, retried the way Stripe retries (until a 2xx). Used by every
// fault scenario; the fault itself is injected next to it by the scenario.
import type { StripeEvent } from '@bfi/provider-fakes';
import { Book, type Currency } from './book';
import { createGift, deliverStripe, scriptStripeGift } from './donor';
import type { Suite } from './suite';

/** Small seeded PRNG (mulberry32): a failing run can be replayed with the same seed. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], rand: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

const pick = <T>(items: readonly T[], rand: () => number): T =>
  items[Math.floor(rand() * items.length)]!;

export interface GiftPlan {
  currency: Currency;
  amount: number;
  fail?: boolean;
  refund?: number;
  dispute?: 'won' | 'lost';
}

/** The mix of a stream: mostly BYN; some below the reward minimum; declines, refunds, disputes. */
export function planGift(rand: () => number): GiftPlan {
  const r = rand();
  const currency: Currency = r < 0.7 ? 'BYN' : r < 0.85 ? 'USD' : 'EUR';
  const amount =
    currency === 'BYN'
      ? pick([300, 500, 800, 1500, 2500, 5000, 10000], rand)
      : pick([150, 200, 500, 1000, 2500], rand);
  const o = rand();
  if (o < 0.08) return { currency, amount, fail: true };
  if (o < 0.18) return { currency, amount, refund: Math.max(1, Math.floor(amount / 3)) };
  if (o < 0.26) return { currency, amount, refund: amount };
  if (o < 0.32) return { currency, amount, dispute: 'lost' };
  if (o < 0.36) return { currency, amount, dispute: 'won' };
  return { currency, amount };
}

/** Events that need the service to know the payment first (it finds the donation by payment intent). */
const AFTER_PAYMENT = new Set([
  'charge.refunded',
  'charge.dispute.created',
  'charge.dispute.closed',
]);

interface Item {
  event: StripeEvent;
  donationId: string;
  /** Position of the event in what Stripe did for this gift (0 = first). */
  seq: number;
}

export interface StreamOptions {
  donations: number;
  concurrency: number;
  /** Share of events delivered twice (a third time with half that chance). */
  duplicateRate: number;
  seed: number;
  /** Give up when the stream is not through after this long. */
  timeoutMs?: number;
  /**
   * Hold a gift's refund and dispute events until one of its payment events was accepted.
   * Off by default: the payment service stores a refund or dispute that overtakes its payment
   * (200 "queued") and applies it once the payment arrives; any non-2xx answer is redelivered
   * like Stripe does.
   */
  gateOnPayment?: boolean;
}

export interface StreamStats {
  donations: number;
  succeeded: number;
  /** Distinct Stripe events. */
  events: number;
  /** POSTs to /webhooks/stripe, duplicates and retries included. */
  deliveries: number;
  /** Extra deliveries of an already-planned event, on purpose. */
  duplicates: number;
  /** Deliveries answered with something else than 2xx (503 not stored, 5xx, unreachable) and sent again. */
  redeliveries: number;
  /** Gifts whose events reached the service (first attempts) in another order than Stripe made them. */
  giftsOutOfOrder: number;
  answers: Record<string, number>;
  durationMs: number;
}

export class WebhookStream {
  readonly stats: StreamStats = {
    donations: 0,
    succeeded: 0,
    events: 0,
    deliveries: 0,
    duplicates: 0,
    redeliveries: 0,
    giftsOutOfOrder: 0,
    answers: {},
    durationMs: 0,
  };
  private readonly rand: () => number;
  private started = 0;
  private stopRequested = false;
  /** The last non-2xx answer (diagnostics). */
  lastRefusal = '';
  /** Gifts whose payment (or decline) event the service accepted. */
  private readonly paid = new Set<string>();
  private done = 0;

  constructor(
    private readonly suite: Suite,
    private readonly book: Book,
    private readonly options: StreamOptions,
  ) {
    this.rand = rng(options.seed);
  }

  /** Share of donations fully delivered so far (0..1). */
  get progress(): number {
    return this.done / this.options.donations;
  }

  /** Makes one gift at the payment service and scripts what Stripe will say about it. */
  private async prepare(plan: GiftPlan): Promise<Item[]> {
    const { gift, view } = await createGift(
      this.suite,
      this.book,
      { provider: 'stripe', currency: plan.currency, amount: plan.amount },
      { retryUnavailable: true },
    );
    const sessionId = view.providerRefs.checkoutSessionId;
    if (!sessionId)
      throw new Error(
        `donation ${view.id} has no Stripe checkout session: ${JSON.stringify(view)}`,
      );
    const { events } = await scriptStripeGift(this.suite, gift, sessionId, plan);
    this.stats.donations += 1;
    if (gift.succeeded) this.stats.succeeded += 1;
    this.stats.events += events.length;
    return events.map((event, seq) => ({ event, donationId: gift.id, seq }));
  }

  /** Each planned event once, plus duplicates. */
  private withDuplicates(items: Item[]): Item[] {
    const out = [...items];
    for (const e of items) {
      if (this.rand() < this.options.duplicateRate) {
        out.push(e);
        this.stats.duplicates += 1;
        if (this.rand() < 0.5) {
          out.push(e);
          this.stats.duplicates += 1;
        }
      }
    }
    return out;
  }

  /** Delivers until every item got a 2xx; anything else goes to the back of the queue. */
  private async deliverAll(queue: Item[], workers: number, deadline: number): Promise<void> {
    const gate = this.options.gateOnPayment ?? false;
    const worker = async () => {
      for (let item = queue.shift(); item; item = queue.shift()) {
        const { event } = item;
        if (gate && AFTER_PAYMENT.has(event.type) && !this.paid.has(item.donationId)) {
          queue.push(item);
          if (Date.now() > deadline)
            throw new Error(`the payment of ${item.donationId} was never accepted`);
          await new Promise((r) => setTimeout(r, 5));
          continue;
        }
        this.noteFirstAttempt(item);
        const { status, body } = await deliverStripe(this.suite, event);
        this.stats.deliveries += 1;
        this.stats.answers[status] = (this.stats.answers[status] ?? 0) + 1;
        if (status >= 200 && status < 300) {
          if (!AFTER_PAYMENT.has(event.type)) this.paid.add(item.donationId);
          continue;
        }
        this.lastRefusal = `${event.id} ${event.type} → ${status} ${body.slice(0, 300)}`;
        if (Date.now() > deadline)
          throw new Error(`webhook still refused at the deadline: ${this.lastRefusal}`);
        this.stats.redeliveries += 1;
        queue.push(item);
        // Stripe backs off too; a short pause keeps a restarting service from being hammered.
        await new Promise((r) => setTimeout(r, status === 409 ? 20 : 200));
      }
    };
    await Promise.all(Array.from({ length: workers }, worker));
  }

  private readonly attempted = new Set<string>();
  private readonly firstOrder = new Map<string, number[]>();

  private noteFirstAttempt(item: Item): void {
    if (this.attempted.has(item.event.id)) return;
    this.attempted.add(item.event.id);
    const order = this.firstOrder.get(item.donationId) ?? [];
    order.push(item.seq);
    this.firstOrder.set(item.donationId, order);
    if (order.length >= 2 && order[order.length - 1]! < order[order.length - 2]!) {
      // Counted once per gift: the first time its order breaks.
      if (!order.slice(0, -1).some((v, i, a) => i > 0 && v < a[i - 1]!))
        this.stats.giftsOutOfOrder += 1;
    }
  }

  /** Ends a stream started with untilStopped once it has made its minimum number of gifts. */
  stop(): void {
    this.stopRequested = true;
  }

  /**
   * Streaming: workers each create a gift, then deliver its events shuffled with duplicates and
   * retried, then take the next gift. Faults injected meanwhile hit a system in motion. With
   * untilStopped the stream goes on past `donations` until stop() — so it cannot run dry while
   * a slow fault (a broker restart) is still being injected.
   */
  async runStreaming(options: { untilStopped?: boolean } = {}): Promise<StreamStats> {
    const t0 = Date.now();
    const ticker = this.debugTicker();
    const deadline = t0 + (this.options.timeoutMs ?? 600_000);
    const more = () =>
      this.started < this.options.donations ||
      (options.untilStopped === true && !this.stopRequested);
    const worker = async () => {
      while (more()) {
        this.started += 1;
        const items = await this.prepare(planGift(this.rand));
        await this.deliverAll(shuffle(this.withDuplicates(items), this.rand), 1, deadline);
        this.done += 1;
      }
    };
    try {
      await Promise.all(Array.from({ length: this.options.concurrency }, worker));
    } finally {
      clearInterval(ticker);
    }
    this.stats.durationMs = Date.now() - t0;
    return this.stats;
  }

  /**
   * Runs the stream (untilStopped) while `faults` injects its faults; stops the stream when
   * they are done. A stream error ends it at once instead of leaving faults waiting for progress.
   */
  async runWithFaults(faults: () => Promise<void>): Promise<StreamStats> {
    const running = this.runStreaming({ untilStopped: true });
    running.catch(() => undefined); // awaited below; no unhandled rejection if faults fail first
    try {
      await Promise.race([faults(), running]);
    } catch (err) {
      this.suite.failed = true;
      throw err;
    } finally {
      this.stop();
    }
    return running;
  }

  /** E2E_DEBUG=1: the stream's counters on stderr every 5 s (what a hanging run is doing). */
  private debugTicker(): NodeJS.Timeout | undefined {
    if (!process.env.E2E_DEBUG) return undefined;
    return setInterval(
      () =>
        process.stderr.write(
          `stream: ${JSON.stringify({ progress: this.progress, ...this.stats, lastRefusal: this.lastRefusal })}\n`,
        ),
      5000,
    );
  }

  /**
   * All at once: every gift is created and scripted first, then ALL deliveries of all gifts
   * (duplicates included) are shuffled together and sent concurrently — refunds before
   * payments, dispute closings before openings, the same event three times.
   */
  async runShuffledAll(): Promise<StreamStats> {
    const t0 = Date.now();
    const ticker = this.debugTicker();
    const deadline = t0 + (this.options.timeoutMs ?? 600_000);
    const plans = Array.from({ length: this.options.donations }, () => planGift(this.rand));
    const all: Item[] = [];
    const worker = async () => {
      for (let plan = plans.shift(); plan; plan = plans.shift())
        all.push(...this.withDuplicates(await this.prepare(plan)));
    };
    try {
      await Promise.all(Array.from({ length: this.options.concurrency }, worker));
      await this.deliverAll(shuffle(all, this.rand), this.options.concurrency, deadline);
    } finally {
      clearInterval(ticker);
    }
    this.done = this.options.donations;
    this.stats.durationMs = Date.now() - t0;
    return this.stats;
  }
}
