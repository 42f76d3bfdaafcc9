// Rules of the receipt e-mail that need no I/O: when the next try is due, when to give up, and
// how a donor's address appears in logs and in answers to staff.

export type ReceiptMailStatus = 'pending' | 'retrying' | 'sent' | 'failed';
export const RECEIPT_MAIL_STATUSES: readonly ReceiptMailStatus[] = [
  'pending',
  'retrying',
  'sent',
  'failed',
];

export interface RetryPolicy {
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
}

/** Wait before try number `attempts + 1`, after `attempts` failed ones: base · 2^(n−1), capped. */
export function retryDelayMs(policy: RetryPolicy, attempts: number): number {
  const exponent = Math.min(Math.max(attempts - 1, 0), 30);
  return Math.min(policy.retryBaseMs * 2 ** exponent, policy.retryMaxMs);
}

/** The status after a failed try: retried until the maximum number of tries, then failed. */
export function statusAfterFailure(policy: RetryPolicy, attempts: number): ReceiptMailStatus {
  return attempts >= policy.maxAttempts ? 'failed' : 'retrying';
}

/** "a***@example.com": enough for staff to tell two donors apart, not the whole address. */
export function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

const EMAIL_IN_TEXT = /[^\s<>"'(),;:]+@[^\s<>"'(),;:]+/g;

/** Masks every e-mail address in a text (SMTP replies often quote the recipient). */
export function maskEmailsIn(text: string): string {
  return text.replace(EMAIL_IN_TEXT, (m) => maskEmail(m));
}
