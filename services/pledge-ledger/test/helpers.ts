import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { createEvent, toKafkaRecord, TOPICS, type AnyEvent } from '@bfi/events';
import { createPrisma, createTestDatabase, type TestDatabase } from '@bfi/db';
import { hashApiKey } from '@bfi/http';
import type { Transport } from '@bfi/messaging';
import { testKafka, testLogger } from '@bfi/testing';
import type { Currency, Money } from '@bfi/money';
import { register, type Counter } from 'prom-client';
import type { FakePayPal, FakeStripe } from '@bfi/provider-fakes';
import paypal from '@paypal/checkout-server-sdk';
import Stripe from 'stripe';
import { PrismaClient, type Db } from '../src/db/client';
import { createPledgeLedgerService, type PledgeLedgerService } from '../src/service';

export const serviceDir = path.join(__dirname, '..');
export const migrationsDir = path.join(serviceDir, 'src', 'db', 'migrations');
export const FINANCE_KEY = 'finance-test-key';
export const STAFF_KEY = 'staff-test-key';
export const apiKeys = [
  { id: 'k1', name: 'finance', role: 'finance' as const, sha256: hashApiKey(FINANCE_KEY) },
  {
    id: 'k2',
    name: 'staff',
    role: 'office-staff' as const,
    officeId: 'minsk-1',
    sha256: hashApiKey(STAFF_KEY),
  },
];

export async function openDb(prefix: string): Promise<{ database: TestDatabase; db: Db }> {
  const database = await createTestDatabase({ prefix, migrationsDir });
  return { database, db: createPrisma(PrismaClient, database.url) };
}

export interface World {
  database: TestDatabase;
  db: Db;
  transport: Transport;
  namespace: string;
  service: PledgeLedgerService;
  /** Publishes payment events on the real broker (namespaced topic), keyed by donation id. */
  publish(events: AnyEvent[]): Promise<void>;
  /** Waits until this world's consumer has handled `n` messages since it opened (any outcome). */
  waitConsumed(n: number): Promise<void>;
  close(): Promise<void>;
}

/** Real Postgres (fresh database with our migrations) + real Kafka (own topic namespace) + the service. */
export async function openWorld(prefix: string): Promise<World> {
  const { database, db } = await openDb(prefix);
  const { transport, namespace } = testKafka(`pledge-ledger-${prefix}`);
  const service = createPledgeLedgerService({
    db,
    transport,
    namespace,
    logger: testLogger,
    config: { apiKeys, outboxPollMs: 50, campaignPollMs: 100, lagIntervalMs: 60000 },
  });
  await service.start();
  // The consumed-messages counter is per process; count from here.
  const baseline = await consumedCount();
  return {
    database,
    db,
    transport,
    namespace,
    service,
    async publish(events) {
      await transport.send(
        events.map((e) => ({ ...toKafkaRecord(e), topic: namespace + TOPICS.payment })),
      );
    },
    async waitConsumed(n) {
      const deadline = Date.now() + 60000;
      while ((await consumedCount()) - baseline < n) {
        if (Date.now() > deadline)
          throw new Error(
            `consumer handled ${(await consumedCount()) - baseline} of ${n} messages`,
          );
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await service.stop();
      await transport.close();
      await db.$disconnect();
      await database.drop();
    },
  };
}

/** Messages the pledge-ledger consumer has handled in this test file (processed, duplicate, ignored, dead-lettered). */
export async function consumedCount(outcome?: string): Promise<number> {
  const metric = register.getSingleMetric('messaging_events_consumed_total') as
    Counter<string> | undefined;
  if (!metric) return 0;
  const { values } = await metric.get();
  return values
    .filter(
      (v) =>
        String(v.labels.consumer).endsWith('pledge-ledger') &&
        (outcome === undefined || v.labels.outcome === outcome),
    )
    .reduce((sum, v) => sum + v.value, 0);
}

// ---- payment events, as services/payment sends them -------------------------------------------

export interface DonationSpec {
  donationId?: string;
  fund?: string;
  channel?: 'online' | 'office';
  officeId?: string | null;
  provider?: 'stripe' | 'paypal';
  gross: Money;
  fee?: Money | null;
  /** The part of gross the donor added to cover the fee. */
  coveredFee?: Money | null;
  occurredAt?: string;
}

export function money(minor: number, currency: Currency = 'BYN'): Money {
  return { minor, currency };
}

export class DonationEvents {
  readonly donationId: string;
  private readonly data;

  constructor(spec: DonationSpec) {
    this.donationId = spec.donationId ?? randomUUID();
    const channel = spec.channel ?? 'online';
    this.data = {
      donationId: this.donationId,
      provider: spec.provider ?? 'stripe',
      providerRefs: { chargeId: `ch_${this.donationId.slice(0, 8)}` },
      channel,
      officeId: spec.officeId ?? (channel === 'office' ? 'minsk-1' : null),
      donationPointId: channel === 'office' ? 'minsk-1-counter' : null,
      fund: spec.fund ?? 'specialist-training',
      gross: spec.gross,
      fee: spec.fee ?? null,
      ...(spec.coveredFee ? { coveredFee: spec.coveredFee } : {}),
      occurredAt: spec.occurredAt ?? '2025-03-01T10:00:00.000Z',
    };
  }

  private opts = () => ({ source: '/services/payment' });

  succeeded(): AnyEvent {
    return createEvent('payment.succeeded.v1', { ...this.data }, this.opts());
  }

  failed(): AnyEvent {
    return createEvent('payment.failed.v1', { ...this.data, reason: 'card declined' }, this.opts());
  }

  refunded(refundId: string, amount: number, totalRefunded: number): AnyEvent {
    const currency = this.data.gross.currency;
    return createEvent(
      'payment.refunded.v1',
      {
        ...this.data,
        refundId,
        amount: { minor: amount, currency },
        totalRefunded: { minor: totalRefunded, currency },
        fullyRefunded: totalRefunded === this.data.gross.minor,
      },
      this.opts(),
    );
  }

  disputed(disputeId: string, amount: number): AnyEvent {
    return createEvent(
      'payment.disputed.v1',
      { ...this.data, disputeId, amount: { minor: amount, currency: this.data.gross.currency } },
      this.opts(),
    );
  }

  disputeClosed(disputeId: string, amount: number, outcome: 'won' | 'lost'): AnyEvent {
    return createEvent(
      'payment.dispute-closed.v1',
      {
        ...this.data,
        disputeId,
        amount: { minor: amount, currency: this.data.gross.currency },
        outcome,
      },
      this.opts(),
    );
  }
}

// ---- reading the ledger back ---------------------------------------------------------------------

export interface LineRow {
  kind: string;
  account: string;
  fund: string | null;
  currency: string;
  amount: number;
}

/** Every line of a donation's entries, in chain order: what the test compares to hand-written postings. */
export async function linesOf(db: Db, donationId: string): Promise<LineRow[]> {
  const rows = await db.$queryRaw<
    { kind: string; account: string; fund: string | null; currency: string; amount: bigint }[]
  >`
    SELECT e.kind, l.account, l.fund, l.currency, l.amount_minor AS amount
    FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
    WHERE e.donation_id = ${donationId}::uuid ORDER BY e.seq, l.line_no`;
  return rows.map((r) => ({ ...r, amount: Number(r.amount) }));
}

/** Entries whose lines do not sum to zero per currency, or that have fewer than 2 lines. */
export async function unbalancedEntries(db: Db): Promise<unknown[]> {
  return db.$queryRaw<unknown[]>`
    SELECT e.id FROM journal_entry e JOIN journal_line l ON l.entry_id = e.id
    GROUP BY e.id HAVING count(*) < 2
    UNION
    SELECT entry_id FROM journal_line GROUP BY entry_id, currency HAVING sum(amount_minor) <> 0`;
}

/** The real Stripe and PayPal SDKs pointed at the local fakes, as statement imports use them. */
export function fakeProviderClients(stripeFake: FakeStripe, paypalFake: FakePayPal) {
  return {
    stripe: new Stripe('sk_test_ledger', stripeFake.sdkOptions()),
    paypal: new paypal.core.PayPalHttpClient(
      new paypal.core.PayPalEnvironment(
        paypalFake.clientId,
        paypalFake.clientSecret,
        paypalFake.url,
        paypalFake.url,
      ),
    ),
  };
}
