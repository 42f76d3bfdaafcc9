// The receipt mail sender: takes due rows of the receipt_mail outbox, renders the receipt PDF and
// the thank-you text (@bfi/receipts, in the language the donor used), sends them over SMTP and
// records the outcome. A failure (refused, deferred, server unreachable) is retried with
// exponential backoff and stays visible on the row, the metrics and GET /receipt-mails.
import {
  DEFAULT_RECEIPT_LOCALE,
  isReceiptLocale,
  receiptFileName,
  receiptMail,
  receiptPdf,
  type ReceiptData,
} from '@bfi/receipts';
import type { Logger } from 'pino';
import { Counter, Gauge, register } from 'prom-client';
import {
  claimDueMails,
  countByStatus,
  mailWithDonation,
  markFailedTry,
  markSent,
} from '../db/receipt-mails';
import { money, type Db, type DonationRow } from '../db/repository';
import {
  maskEmail,
  maskEmailsIn,
  RECEIPT_MAIL_STATUSES,
  retryDelayMs,
  statusAfterFailure,
} from '../domain/receipt-mail';
import { smtpTarget, type MailConfig } from '../mail-config';
import { smtpGateway, SmtpFailure, type MailGateway, type OutgoingMail } from '../providers/smtp';
import { withManageLink } from './monthly-text';

/** A sender holds a claimed row this long: longer than nodemailer's worst-case send. */
const LEASE_MS = 120_000;
const BATCH = 10;

const attemptsTotal =
  (register.getSingleMetric('receipt_mail_attempts_total') as Counter<'outcome'>) ??
  new Counter({
    name: 'receipt_mail_attempts_total',
    help: 'Receipt e-mail send attempts by outcome (sent, refused, deferred, unreachable, error)',
    labelNames: ['outcome'],
  });
const mailsByStatus =
  (register.getSingleMetric('receipt_mails') as Gauge<'status'>) ??
  new Gauge({
    name: 'receipt_mails',
    help: 'Receipt e-mails by status (pending, retrying, sent, failed), as of the last sender round',
    labelNames: ['status'],
  });

export interface ReceiptMailerDeps {
  db: Db;
  gateway: MailGateway | null;
  config: MailConfig;
  logger: Logger;
  /** The manage link of a monthly gift, for its installments' receipts. */
  manageUrl?: (subscriptionId: string) => Promise<string>;
}

export class ReceiptMailer {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private again = false;
  private stopped = true;

  constructor(private readonly deps: ReceiptMailerDeps) {}

  /** The sender over the configured SMTP server (none configured: mails wait, queued). */
  static create(
    db: Db,
    config: MailConfig,
    logger: Logger,
    manageUrl?: ReceiptMailerDeps['manageUrl'],
  ): ReceiptMailer {
    return new ReceiptMailer({
      db,
      gateway: config.smtp ? smtpGateway(config.smtp) : null,
      config,
      logger: logger.child({ component: 'receipt-mail' }),
      manageUrl,
    });
  }

  /**
   * Sends one mail now, outside the receipt outbox (a monthly donor's annual summary, asked
   * for on the manage page): throws SmtpFailure, or when no SMTP server is configured.
   */
  async sendNow(mail: Omit<OutgoingMail, 'from'>): Promise<void> {
    if (!this.deps.gateway)
      throw new SmtpFailure('no SMTP server is configured', null, 'unreachable');
    await this.deps.gateway.send({ from: this.deps.config.from, ...mail });
  }

  start(): void {
    if (!this.deps.gateway) {
      this.deps.logger.warn(
        'receipt e-mails are queued but not sent: no SMTP server is configured (SMTP_URL or SMTP_HOST)',
      );
      return;
    }
    this.deps.logger.info(
      { smtp: smtpTarget(this.deps.config.smtp!) },
      'receipt e-mails are sent through this SMTP server',
    );
    this.stopped = false;
    this.schedule(0);
  }

  /** A donation just succeeded: look for due mails now instead of at the next poll. */
  nudge(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
    this.deps.gateway?.close();
  }

  /** One round: send every due mail (tests call it to avoid waiting for the poll). */
  async runOnce(): Promise<number> {
    let sent = 0;
    for (;;) {
      const ids = await claimDueMails(this.deps.db, BATCH, LEASE_MS);
      for (const id of ids) if (await this.sendOne(id)) sent++;
      if (ids.length < BATCH || this.stopped) break;
    }
    await this.refreshGauge();
    return sent;
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.tick(), delayMs);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = null;
    this.running = this.runOnce()
      .then(() => undefined)
      .catch((err: unknown) => this.deps.logger.error({ err }, 'receipt mail round failed'))
      .finally(() => {
        this.running = null;
        const soon = this.again;
        this.again = false;
        this.schedule(soon ? 0 : this.deps.config.pollMs);
      });
  }

  private async sendOne(donationId: string): Promise<boolean> {
    const { db, config, logger } = this.deps;
    const row = await mailWithDonation(db, donationId);
    if (!row || row.status === 'sent') return false;
    const d = row.donation;
    const to = d.donorEmail;
    const log = logger.child({ donationId, to: to ? maskEmail(to) : null });
    try {
      if (!to || !d.receiptNumber || !d.receiptIssuedAt)
        throw new SmtpFailure(
          'the donation has no e-mail address or no receipt yet',
          null,
          'refused',
        );
      const locale = isReceiptLocale(d.locale) ? d.locale : DEFAULT_RECEIPT_LOCALE;
      const receipt = receiptData(d);
      const plain = receiptMail(receipt, locale, config.counsellingUrl);
      const text =
        d.subscriptionId && d.installment && this.deps.manageUrl
          ? withManageLink(
              plain,
              locale,
              d.installment,
              await this.deps.manageUrl(d.subscriptionId),
            )
          : plain;
      const pdf = await receiptPdf({ receipt, locale, counsellingUrl: config.counsellingUrl });
      const info = await this.deps.gateway!.send({
        from: config.from,
        to,
        ...text,
        messageId: `<receipt-${d.id}@bullyingfreeinternet.example>`,
        attachment: {
          filename: receiptFileName(receipt.number),
          content: pdf,
          contentType: 'application/pdf',
        },
      });
      await markSent(db, donationId, info.messageId);
      attemptsTotal.inc({ outcome: 'sent' });
      log.info({ receipt: receipt.number }, 'receipt e-mail sent');
      return true;
    } catch (err) {
      await this.recordFailure(donationId, row.attempts + 1, err, log);
      return false;
    }
  }

  private async recordFailure(
    donationId: string,
    attempts: number,
    err: unknown,
    log: Logger,
  ): Promise<void> {
    const failure =
      err instanceof SmtpFailure ? err : new SmtpFailure(String(err), null, 'unreachable');
    const kind = err instanceof SmtpFailure ? failure.kind : 'error';
    const status = statusAfterFailure(this.deps.config, attempts);
    const delayMs = retryDelayMs(this.deps.config, attempts);
    const error = maskEmailsIn(failure.message);
    await markFailedTry(this.deps.db, donationId, {
      status,
      delayMs,
      error: `${kind}: ${error}`,
      code: failure.responseCode,
    });
    attemptsTotal.inc({ outcome: kind });
    log.warn(
      {
        attempts,
        status,
        kind,
        code: failure.responseCode,
        error,
        retryInMs: status === 'failed' ? null : delayMs,
      },
      status === 'failed'
        ? 'receipt e-mail failed; giving up'
        : 'receipt e-mail not sent; will retry',
    );
  }

  private async refreshGauge(): Promise<void> {
    const counts = await countByStatus(this.deps.db);
    for (const status of RECEIPT_MAIL_STATUSES) mailsByStatus.set({ status }, counts[status] ?? 0);
  }
}

function receiptData(d: DonationRow): ReceiptData {
  const p = d.payment;
  return {
    number: d.receiptNumber!,
    issuedAt: d.receiptIssuedAt!.toISOString(),
    amount: money(d.amountMinor, d.currency),
    fund: d.fund,
    donorName: d.donorName,
    officeName: d.officeName,
    reference:
      p?.paymentIntentId ??
      p?.captureId ??
      p?.chargeId ??
      p?.orderId ??
      p?.checkoutSessionId ??
      null,
  };
}
