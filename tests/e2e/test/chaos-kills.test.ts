// Fault scenarios (b) and (d): service processes SIGKILLed while a stream of gifts runs.
//   (b) each consumer (pledge-ledger, reward) killed several times while it has a backlog,
//       i.e. in the middle of its batches, and restarted;
//   (d) the payment outbox relay killed exactly between "sent to Kafka" and "marked sent".
// Both end with the invariants; the book is shared, so (d) is checked on top of (b).
import {
  awaitInvariants,
  backlogOf,
  Book,
  infraFromEnv,
  LONG,
  printSummary,
  RelayHold,
  scaled,
  scrapeCounter,
  Suite,
  until,
  WebhookStream,
} from '../src';
import type { ServiceProcess } from '@bfi/suite';

let suite: Suite;
const book = new Book();

beforeAll(async () => {
  suite = await Suite.start({
    scenario: 'kills',
    infra: infraFromEnv(),
    autoWebhooks: false,
    stockPerOffice: 10,
  });
});

afterAll(async () => {
  await suite?.stop();
});

const duplicatesSeen = (s: ServiceProcess) =>
  scrapeCounter(s, 'messaging_events_consumed_total', 'outcome="duplicate"');

test(
  `${LONG ? 'long' : 'short'} (b): consumers SIGKILLed mid-batch and restarted during a stream`,
  async () => {
    const killsEach = scaled(2, 8);
    const stream = new WebhookStream(suite, book, {
      donations: scaled(50, 600),
      concurrency: 4,
      duplicateRate: 0.2,
      timeoutMs: scaled(600_000, 3_600_000),
      seed: 21,
    });
    const kills: { target: string; atProgress: number; backlog: number; downMs: number }[] = [];
    let redelivered = 0;
    let lastRestart = Date.now();
    const targets = Array.from({ length: killsEach * 2 }, (_, i) =>
      i % 2 === 0 ? suite.ledger : suite.reward,
    );

    const stats = await stream.runWithFaults(async () => {
      for (const [i, target] of targets.entries()) {
        await until(
          () => stream.progress >= (i + 1) / (targets.length + 1),
          `stream progress for kill ${i + 1}`,
          300_000,
        );
        const consumer = target === suite.ledger ? 'pledge-ledger' : 'reward';
        // Mid-batch: the process is consuming (ready: its group joined). A consumer that keeps
        // up has a backlog only for milliseconds, so it is frozen until events wait for it, let
        // go, and killed moments later while it works through them.
        await target.ready();
        let backlog = 0;
        target.pause();
        try {
          await until(
            async () => (backlog = await backlogOf(suite, consumer)) > 0,
            `a backlog for ${consumer}`,
            120_000,
          );
        } finally {
          target.resume();
        }
        await new Promise((r) => setTimeout(r, 5 + Math.floor(Math.random() * 40)));
        redelivered += await duplicatesSeen(target);
        const atProgress = Number(stream.progress.toFixed(2));
        const t0 = Date.now();
        await target.kill('SIGKILL');
        // The other consumer is killed while this one restarts and rejoins its group.
        await target.start({ wait: false });
        void target.ready().then(() => {
          lastRestart = Date.now();
          kills.push({ target: target.name, atProgress, backlog, downMs: lastRestart - t0 });
        });
      }
      await Promise.all([suite.ledger.ready(), suite.reward.ready()]);
    });
    const streamEnd = Date.now();
    const { figures, recoverMs } = await awaitInvariants(suite, { book });
    redelivered += (await duplicatesSeen(suite.ledger)) + (await duplicatesSeen(suite.reward));

    expect(kills).toHaveLength(killsEach * 2);
    printSummary('b-consumers-sigkilled', {
      stream: stats,
      gifts: book.counts(),
      kills: { 'pledge-ledger': suite.ledger.kills, reward: suite.reward.kills, detail: kills },
      restarts: suite.ledger.starts + suite.reward.starts - 2,
      redeliveredToConsumersAndDeduped: redelivered,
      invariants: figures,
      recoverMs,
      sinceLastRestartMs: Date.now() - lastRestart,
      afterStreamEndMs: Date.now() - streamEnd,
    });
  },
  scaled(600_000, 3_600_000),
);

test(
  `${LONG ? 'long' : 'short'} (d): the payment outbox relay SIGKILLed between send and mark, repeatedly`,
  async () => {
    const killsWanted = scaled(3, 12);
    const hold = new RelayHold(suite.databases.payment);
    await hold.install();
    const messagesBefore = suite.taps.payment.messages.length;
    const stream = new WebhookStream(suite, book, {
      donations: scaled(30, 400),
      concurrency: 4,
      duplicateRate: 0.2,
      timeoutMs: scaled(600_000, 3_600_000),
      seed: 42,
    });
    const kills: { atProgress: number; sentNotMarked: number; downMs: number }[] = [];
    let lastRestart = Date.now();

    const stats = await stream.runWithFaults(async () => {
      try {
        for (let i = 0; i < killsWanted; i++) {
          await until(
            () => stream.progress >= (i + 1) / (killsWanted + 1),
            `stream progress for kill ${i + 1}`,
            300_000,
          );
          await hold.hold();
          const unsent = await hold.waitForStuckRelay();
          // Proof the batch is out: its events are on the broker while their rows say "not sent".
          let onTopic = 0;
          await until(
            () => {
              const seen = new Set(suite.taps.payment.messages.map((m) => m.headers['ce-id']));
              onTopic = unsent.filter((id) => seen.has(id)).length;
              return onTopic > 0;
            },
            'the held batch on the topic',
            30_000,
          );
          const atProgress = Number(stream.progress.toFixed(2));
          const t0 = Date.now();
          await suite.payment.kill('SIGKILL');
          await hold.release();
          await suite.payment.start();
          lastRestart = Date.now();
          kills.push({ atProgress, sentNotMarked: onTopic, downMs: lastRestart - t0 });
        }
      } finally {
        await hold.release();
      }
    });
    await hold.uninstall();
    const streamEnd = Date.now();
    const { figures, recoverMs } = await awaitInvariants(suite, { book });
    const newMessages = suite.taps.payment.messages.slice(messagesBefore);
    const resent = newMessages.length - new Set(newMessages.map((m) => m.headers['ce-id'])).size;

    expect(kills).toHaveLength(killsWanted);
    // Every kill left a sent-but-unmarked batch that the restarted relay sent again.
    expect(resent).toBeGreaterThanOrEqual(kills.reduce((n, k) => n + k.sentNotMarked, 0));
    printSummary('d-relay-killed-between-send-and-mark', {
      stream: stats,
      gifts: book.counts(),
      kills: { payment: killsWanted, detail: kills },
      restarts: killsWanted,
      paymentEventsResentByRelay: resent,
      invariants: figures,
      recoverMs,
      sinceLastRestartMs: Date.now() - lastRestart,
      afterStreamEndMs: Date.now() - streamEnd,
    });
  },
  scaled(600_000, 3_600_000),
);
