// The inbox of provider events (table webhook_delivery). A verified delivery is stored with one
// INSERT before the webhook answers; whoever applies it (the request inline, or the applier)
// claims it for a lease, and the row is marked applied/ignored in the SAME transaction as the
// effect, guarded by `state = 'received'`, so a delivery takes effect exactly once even when two
// appliers race after a lease ran out. Times are the database's clock.
import type { WebhookDeliveryState } from '../domain/webhook-delivery';
import type { Db, Tx } from './repository';

export interface StoredDelivery {
  id: string;
  provider: 'stripe' | 'paypal';
  eventId: string;
  type: string;
  rawBody: string;
  attempts: number;
  receivedAt: Date;
}

/** The row was applied (or given up) by someone else first: the transaction must not commit. */
export class DeliveryAlreadyFinished extends Error {
  constructor() {
    super('this delivery was already applied');
  }
}

/**
 * Stores a verified delivery once (claimed for `claimMs` by the caller when it applies it at
 * once, else due for the applier). Null when this provider event id is already stored.
 */
export async function storeDelivery(
  db: Db,
  d: { provider: string; eventId: string; type: string; rawBody: string },
  claimMs: number | null,
): Promise<string | null> {
  const rows = await db.$queryRawUnsafe<{ id: string }[]>(
    `INSERT INTO webhook_delivery (id, provider, provider_event_id, type, outcome, raw_body, state,
       claimed_until)
     VALUES (gen_random_uuid(), $1, $2, $3, 'received', $4, 'received',
       CASE WHEN $5::int IS NULL THEN NULL ELSE now() + ($5::int * interval '1 millisecond') END)
     ON CONFLICT (provider, provider_event_id) DO NOTHING RETURNING id::text`,
    d.provider,
    d.eventId,
    d.type,
    d.rawBody,
    claimMs,
  );
  return rows[0]?.id ?? null;
}

/** Takes up to `limit` due deliveries, oldest first, for `leaseMs`. */
export async function claimDueDeliveries(
  db: Db,
  limit: number,
  leaseMs: number,
): Promise<StoredDelivery[]> {
  const rows = await db.$queryRawUnsafe<
    {
      id: string;
      provider: 'stripe' | 'paypal';
      provider_event_id: string;
      type: string;
      raw_body: string;
      attempts: number;
      received_at: Date;
    }[]
  >(
    `UPDATE webhook_delivery SET claimed_until = now() + ($2 * interval '1 millisecond')
     WHERE id IN (
       SELECT id FROM webhook_delivery
       WHERE state = 'received' AND next_attempt_at <= now()
         AND (claimed_until IS NULL OR claimed_until < now())
       ORDER BY received_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING id::text, provider, provider_event_id, type, raw_body, attempts, received_at`,
    limit,
    leaseMs,
  );
  return rows
    .map((r) => ({
      id: r.id,
      provider: r.provider,
      eventId: r.provider_event_id,
      type: r.type,
      rawBody: r.raw_body,
      attempts: r.attempts,
      receivedAt: r.received_at,
    }))
    .sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
}

/**
 * Marks the delivery done (applied or ignored) with its outcome — inside the transaction of the
 * effect when there is one. Throws DeliveryAlreadyFinished when it was finished before.
 */
export async function finishDelivery(
  client: Tx | Db,
  d: { provider: string; eventId: string },
  state: 'applied' | 'ignored',
  outcome: string,
  donationId: string | null,
): Promise<void> {
  const updated = await client.$executeRawUnsafe(
    `UPDATE webhook_delivery SET state = $3, outcome = $4, donation_id = $5::uuid,
       applied_at = now(), attempts = attempts + 1, claimed_until = NULL, last_error = NULL
     WHERE provider = $1 AND provider_event_id = $2 AND state = 'received'`,
    d.provider,
    d.eventId,
    state,
    outcome.slice(0, 500),
    donationId,
  );
  if (updated !== 1) throw new DeliveryAlreadyFinished();
}

/** A try that did not apply: released for the next one after `delayMs`. */
export async function scheduleRetry(
  db: Db,
  id: string,
  delayMs: number,
  error: string,
): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE webhook_delivery SET attempts = attempts + 1, claimed_until = NULL, last_error = $3,
       next_attempt_at = now() + ($2 * interval '1 millisecond')
     WHERE id = $1::uuid AND state = 'received'`,
    id,
    delayMs,
    error.slice(0, 1000),
  );
}

/** The retry window is over: the delivery is left for a person (GET /webhook-deliveries). */
export async function giveUpDelivery(db: Db, id: string, error: string): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE webhook_delivery SET state = 'gave-up', attempts = attempts + 1, claimed_until = NULL,
       last_error = $2, outcome = 'gave up'
     WHERE id = $1::uuid AND state = 'received'`,
    id,
    error.slice(0, 1000),
  );
}

/** Deliveries waiting for their next try become due now (the payment they wait for arrived). */
export async function wakeWaitingDeliveries(db: Db): Promise<number> {
  return db.$executeRawUnsafe(
    `UPDATE webhook_delivery SET next_attempt_at = now()
     WHERE state = 'received' AND next_attempt_at > now()
       AND (claimed_until IS NULL OR claimed_until < now())`,
  );
}

/** Stored and not applied yet: all of them, and those waiting for a later try. */
export async function pendingDeliveries(db: Db): Promise<{ pending: number; waiting: number }> {
  const [row] = await db.$queryRawUnsafe<{ pending: number; waiting: number }[]>(
    `SELECT count(*)::int AS pending, (count(*) FILTER (WHERE next_attempt_at > now()))::int AS waiting
     FROM webhook_delivery WHERE state = 'received'`,
  );
  return row ?? { pending: 0, waiting: 0 };
}

/** Deliveries in one state, newest first (finance reads the given-up ones). */
export function deliveriesInState(db: Db, state: WebhookDeliveryState, limit: number) {
  return db.webhookDelivery.findMany({
    where: { state },
    orderBy: { receivedAt: 'desc' },
    take: limit,
    select: {
      id: true,
      provider: true,
      providerEventId: true,
      type: true,
      state: true,
      outcome: true,
      attempts: true,
      lastError: true,
      receivedAt: true,
      nextAttemptAt: true,
      appliedAt: true,
      donationId: true,
    },
  });
}
