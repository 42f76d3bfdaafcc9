import { badGateway, deriveDonorSecret, HttpProblem, unprocessable } from '@bfi/http';
import { formatMoney, type Money } from '@bfi/money';
import type { DonationRow } from '../db/repository';
import { ProviderError, type DonorLocale } from '../providers/types';
import type { AppDeps } from './deps';
import { subscriptionCheckout } from './subscriptions';
import { toView, type DonationView } from './view';

/**
 * How long one request may hold a donation's checkout lease; a lease left by a crash (process
 * killed, database gone between the provider's answer and our write) frees itself after this, so
 * the donor's retry goes through within half a minute. A retry that overlaps a slow first call
 * is still safe: both send the provider the same idempotency key (`checkout-<donation id>`), so
 * the provider answers with the same checkout, or 409 while the first is in flight.
 */
const LEASE_SECONDS = 30;
const POLL_MS = 100;

/** The donor secret of a donation (see deriveDonorSecret); the QR key is the server key. */
export function donorSecretFor(deps: AppDeps, donationId: string): string {
  return deriveDonorSecret(deps.config.qrSecret, donationId);
}

/** Done at the provider (a checkout URL) or refused for good: nothing more to do for this key. */
export function checkoutSettled(row: DonationRow): boolean {
  return Boolean(row.payment?.redirectUrl) || row.status === 'failed' || row.status === 'expired';
}

const inProgress = () =>
  new HttpProblem(
    409,
    'Conflict',
    'This donation is being set up with the payment provider by an earlier request with the same Idempotency-Key. Retry in a moment with the same key; you will not be charged twice.',
    { code: 'in-progress' },
    { 'retry-after': '1' },
  );

/**
 * The provider checkout of a donation, created once whatever the number of concurrent retries:
 * the request that takes the lease calls the provider; the others wait for its answer (up to
 * `checkoutWaitMs`), then get 409 "in progress" with Retry-After.
 */
export async function checkoutOnce(
  deps: AppDeps,
  row: DonationRow,
  locale: DonorLocale | null,
): Promise<DonationView> {
  if (checkoutSettled(row)) return toView(row);
  const leased = await deps.db.$executeRaw`
    UPDATE provider_payment SET checkout_started_at = now()
    WHERE donation_id = ${row.id}::uuid AND redirect_url IS NULL
      AND (checkout_started_at IS NULL
           OR checkout_started_at < now() - make_interval(secs => ${LEASE_SECONDS}))`;
  if (leased === 1) return startCheckout(deps, row, locale);
  const deadline = Date.now() + deps.config.checkoutWaitMs;
  while (Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    const now = await deps.db.donation.findUnique({
      where: { id: row.id },
      include: { payment: true },
    });
    if (now && checkoutSettled(now)) return toView(now);
    if (now && !now.payment?.checkoutStartedAt) return checkoutOnce(deps, now, locale);
  }
  throw inProgress();
}

async function releaseLease(deps: AppDeps, donationId: string): Promise<void> {
  await deps.db.providerPayment.update({
    where: { donationId },
    data: { checkoutStartedAt: null },
  });
}

async function startCheckout(
  deps: AppDeps,
  row: DonationRow,
  locale: DonorLocale | null,
): Promise<DonationView> {
  const amount: Money = {
    minor: Number(row.amountMinor),
    currency: row.currency as Money['currency'],
  };
  // Only the success URL carries the secret: the provider's page shows the cancel link to
  // anyone who opens the checkout.
  const replace = (url: string, secret: string) =>
    url.replaceAll('{DONATION_ID}', row.id).replaceAll('{DONOR_SECRET}', secret);
  const request = {
    donationId: row.id,
    amount,
    fund: row.fund,
    donorEmail: row.donorEmail,
    description: `#BullyingFreeInternet ${row.subscriptionId ? 'monthly ' : ''}donation ${formatMoney(amount)} — ${row.fund}`,
    successUrl: replace(deps.config.thankYouUrl, donorSecretFor(deps, row.id)),
    cancelUrl: replace(deps.config.thankYouUrl, ''),
    locale,
  };
  try {
    const result = row.subscriptionId
      ? await subscriptionCheckout(deps, row, request)
      : row.provider === 'paypal'
        ? await deps.paypal.createCheckout(request)
        : await deps.stripe.createCheckout(request);
    const updated = await deps.db.donation.update({
      where: { id: row.id },
      data: {
        payment: {
          update: {
            checkoutSessionId: result.checkoutSessionId,
            orderId: result.orderId,
            redirectUrl: result.redirectUrl,
          },
        },
      },
      include: { payment: true },
    });
    return toView(updated);
  } catch (err) {
    return checkoutFailed(deps, row, err);
  }
}

async function checkoutFailed(deps: AppDeps, row: DonationRow, err: unknown): Promise<never> {
  // 409 from the provider: the same idempotency key is in flight there (an earlier attempt still
  // running). Not a refusal — the donation stays pending and the lease with it.
  if (err instanceof ProviderError && err.status === 409) throw inProgress();
  if (
    err instanceof ProviderError &&
    err.status !== undefined &&
    err.status >= 400 &&
    err.status < 500
  ) {
    await deps.db.donation.update({
      where: { id: row.id },
      data: { status: 'failed', failureReason: err.message },
    });
    throw unprocessable(`The payment provider refused this donation: ${err.message}`);
  }
  deps.logger.error({ err, donationId: row.id }, 'provider checkout failed');
  // Nothing is known to exist at the provider under a settled answer: let the retry go at once.
  await releaseLease(deps, row.id);
  throw badGateway(
    'The payment provider could not be reached. Retry with the same Idempotency-Key; you will not be charged twice.',
  );
}
