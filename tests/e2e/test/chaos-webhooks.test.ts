// Fault scenario (a): N Stripe webhook deliveries with duplicates and in shuffled order — the
// events of all gifts mixed together, so refunds and dispute closings often arrive before the
// payment they belong to (stored and answered 200 "queued"; the payment service applies them
// once the payment arrives), and the same event arrives up to three times.
import {
  awaitInvariants,
  Book,
  infraFromEnv,
  LONG,
  printSummary,
  scaled,
  Suite,
  WebhookStream,
} from '../src';

let suite: Suite;
const book = new Book();

beforeAll(async () => {
  suite = await Suite.start({ scenario: 'webhooks', infra: infraFromEnv(), autoWebhooks: false });
});

afterAll(async () => {
  await suite?.stop();
});

test(
  `${LONG ? 'long' : 'short'}: shuffled, duplicated webhook deliveries end in exactly the expected ledger, rewards and totals`,
  async () => {
    const stream = new WebhookStream(suite, book, {
      // Long: ≈ 2.9 deliveries per gift → over 10,000 deliveries.
      donations: scaled(80, 3600),
      concurrency: 8,
      duplicateRate: 0.3,
      seed: 7,
      timeoutMs: scaled(600_000, 3_600_000),
    });
    const stats = await stream.runShuffledAll();
    const { figures, recoverMs } = await awaitInvariants(suite, { book });

    expect(stats.duplicates).toBeGreaterThan(0);
    expect(stats.giftsOutOfOrder).toBeGreaterThan(0); // the order really was shuffled
    if (LONG) expect(stats.deliveries).toBeGreaterThanOrEqual(10_000);
    expect(figures.ledger.entries.donation).toBe(book.counts().succeeded);
    printSummary('a-webhooks-duplicated-shuffled', {
      stream: stats,
      gifts: book.counts(),
      kills: 0,
      invariants: figures,
      recoverMs,
    });
  },
  scaled(600_000, 3_600_000),
);
