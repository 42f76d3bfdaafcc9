// The receipt_mail outbox: queued in the success transaction, claimed by one sender at a time
// (FOR UPDATE SKIP LOCKED + a lease, so replicas never send the same row together), then marked
// sent or scheduled for the next try. Times are the database's clock.
import type { ReceiptMailStatus } from '../domain/receipt-mail';
import type { Db, Tx } from './repository';

/** Queues the donation's receipt mail once; false when it is already queued (or sent). */
export async function queueReceiptMail(tx: Tx, donationId: string): Promise<boolean> {
  const inserted = await tx.$executeRawUnsafe(
    `INSERT INTO receipt_mail (donation_id, status, updated_at) VALUES ($1::uuid, 'pending', now())
     ON CONFLICT (donation_id) DO NOTHING`,
    donationId,
  );
  return inserted === 1;
}

/** Takes up to `limit` due mails for `leaseMs`; the ids returned are this sender's to try. */
export async function claimDueMails(db: Db, limit: number, leaseMs: number): Promise<string[]> {
  const rows = await db.$queryRawUnsafe<{ donation_id: string }[]>(
    `UPDATE receipt_mail SET claimed_until = now() + ($2 * interval '1 millisecond')
     WHERE donation_id IN (
       SELECT donation_id FROM receipt_mail
       WHERE status IN ('pending', 'retrying') AND next_attempt_at <= now()
         AND (claimed_until IS NULL OR claimed_until < now())
       ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
     RETURNING donation_id::text`,
    limit,
    leaseMs,
  );
  return rows.map((r) => r.donation_id);
}

export async function markSent(db: Db, donationId: string, messageId: string): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE receipt_mail SET status = 'sent', attempts = attempts + 1, sent_at = now(),
       message_id = $2, claimed_until = NULL, last_error = NULL, last_code = NULL, updated_at = now()
     WHERE donation_id = $1::uuid`,
    donationId,
    messageId,
  );
}

export async function markFailedTry(
  db: Db,
  donationId: string,
  failure: { status: ReceiptMailStatus; delayMs: number; error: string; code: number | null },
): Promise<void> {
  await db.$executeRawUnsafe(
    `UPDATE receipt_mail SET status = $2, attempts = attempts + 1,
       next_attempt_at = now() + ($3 * interval '1 millisecond'), claimed_until = NULL,
       last_error = $4, last_code = $5, updated_at = now()
     WHERE donation_id = $1::uuid AND status <> 'sent'`,
    donationId,
    failure.status,
    failure.delayMs,
    failure.error.slice(0, 1000),
    failure.code,
  );
}

/** Queues a failed mail again (by hand): false when there is no failed mail of this donation. */
export async function requeueFailed(db: Db, donationId: string): Promise<boolean> {
  const updated = await db.$executeRawUnsafe(
    `UPDATE receipt_mail SET status = 'retrying', next_attempt_at = now(), updated_at = now()
     WHERE donation_id = $1::uuid AND status = 'failed'`,
    donationId,
  );
  return updated === 1;
}

export async function countByStatus(db: Db): Promise<Record<string, number>> {
  const rows = await db.$queryRawUnsafe<{ status: string; n: number }[]>(
    'SELECT status, count(*)::int AS n FROM receipt_mail GROUP BY status',
  );
  return Object.fromEntries(rows.map((r) => [r.status, r.n]));
}

export function mailWithDonation(db: Db, donationId: string) {
  return db.receiptMail.findUnique({
    where: { donationId },
    include: { donation: { include: { payment: true } } },
  });
}

export function listMails(
  db: Db,
  query: { status?: ReceiptMailStatus; limit: number; before?: Date },
) {
  return db.receiptMail.findMany({
    where: {
      ...(query.status ? { status: query.status } : {}),
      ...(query.before ? { createdAt: { lt: query.before } } : {}),
    },
    include: { donation: { select: { donorEmail: true, receiptNumber: true, locale: true } } },
    orderBy: [{ createdAt: 'desc' }, { donationId: 'desc' }],
    take: query.limit,
  });
}
