// What finance and admins see of the receipt e-mails: each mail's status, tries and last error
// (donor address masked), and a hand-made retry of one that was given up.
import { PaymentError } from '../domain/errors';
import { listMails, requeueFailed } from '../db/receipt-mails';
import { maskEmail, type ReceiptMailStatus } from '../domain/receipt-mail';
import type { AppDeps } from './deps';

export interface ReceiptMailView {
  donationId: string;
  receiptNumber: string | null;
  to: string | null;
  locale: string | null;
  status: string;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  lastCode: number | null;
  sentAt: string | null;
  createdAt: string;
}

export async function listReceiptMails(
  deps: AppDeps,
  query: { status?: ReceiptMailStatus; limit: number },
): Promise<{ mails: ReceiptMailView[]; smtpConfigured: boolean }> {
  const rows = await listMails(deps.db, query);
  return {
    smtpConfigured: deps.config.mail.smtp !== null,
    mails: rows.map((r) => ({
      donationId: r.donationId,
      receiptNumber: r.donation.receiptNumber,
      to: r.donation.donorEmail ? maskEmail(r.donation.donorEmail) : null,
      locale: r.donation.locale,
      status: r.status,
      attempts: r.attempts,
      nextAttemptAt:
        r.status === 'pending' || r.status === 'retrying' ? r.nextAttemptAt.toISOString() : null,
      lastError: r.lastError,
      lastCode: r.lastCode,
      sentAt: r.sentAt?.toISOString() ?? null,
      createdAt: r.createdAt.toISOString(),
    })),
  };
}

export async function retryReceiptMail(deps: AppDeps, donationId: string): Promise<void> {
  if (!(await requeueFailed(deps.db, donationId)))
    throw new PaymentError(
      'conflict',
      `There is no failed receipt e-mail of donation ${donationId}: only a mail that was given up can be retried (others are retried by themselves).`,
    );
  deps.mailer.nudge();
}
