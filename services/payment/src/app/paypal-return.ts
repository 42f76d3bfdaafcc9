import { PaymentError } from '../domain/errors';
import { applyToDonation } from './apply';
import type { AppDeps } from './deps';
import { captureOrder } from './paypal-webhook';
import { toView, type DonationView } from './view';

/**
 * POST /donations/:id/paypal-return: the donor is back from PayPal (the return URL is the
 * thank-you page, which asks this with the donor secret). Captures the approved order now, so
 * the page shows the outcome without waiting for PayPal's webhook; the webhook may do the same
 * at the same moment, and captureOrder makes that one capture and one booking.
 */
export async function captureOnReturn(
  deps: AppDeps,
  id: string,
  secret: string | undefined,
): Promise<DonationView> {
  const row = await deps.db.donation.findUnique({ where: { id }, include: { payment: true } });
  if (!row) throw new PaymentError('not-found', `There is no donation ${id}.`);
  if (!deps.donorSecrets.matches(secret, row.donorSecretHash))
    throw new PaymentError(
      'forbidden',
      'Only the device that made this donation can confirm it (X-Donor-Secret).',
    );
  if (row.provider !== 'paypal')
    throw new PaymentError('conflict', 'This donation is not paid through PayPal.');
  // A monthly gift has no order: PayPal's sale webhook books it (nothing to capture here).
  if (row.subscriptionId) return toView(row);
  // Decided already (by the webhook, or an earlier return): nothing to capture.
  if (row.status !== 'pending') return toView(row);
  const orderId = row.payment?.orderId;
  if (!orderId) throw new PaymentError('conflict', 'This donation has no PayPal order yet.');
  const input = await captureOrder(deps, orderId, { donationId: id });
  const result = await applyToDonation(deps, { provider: 'paypal', ...input });
  return result.kind === 'applied' ? toView(result.donation) : toView(row);
}
