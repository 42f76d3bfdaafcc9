// What donors, staff, finance and the providers do, through the public APIs only.
import { randomUUID } from 'node:crypto';
import Stripe from 'stripe';
import type { StripeEvent } from '@bfi/provider-fakes';
import { Book, type Currency, type Gift } from './book';
import { call, expectStatus } from './http';
import { stripeFee, type Suite } from './suite';

export interface DonationView {
  id: string;
  status: string;
  amount: { minor: number; currency: string };
  channel: string;
  officeId: string | null;
  redirectUrl: string | null;
  providerRefs: Record<string, string>;
}

export interface NewGift {
  provider: 'stripe' | 'paypal';
  currency: Currency;
  amount: number;
  pointToken?: string;
  officeId?: string;
}

/**
 * POST /donations as the donor page does. With retryUnavailable the same Idempotency-Key is sent
 * again while the payment service is down or failing, as a browser retry would.
 */
export async function createGift(
  suite: Suite,
  book: Book,
  gift: NewGift,
  options: { retryUnavailable?: boolean } = {},
): Promise<{ gift: Gift; view: DonationView }> {
  const key = randomUUID();
  const body = {
    amount: gift.amount,
    currency: gift.currency,
    provider: gift.provider,
    donorName: 'E2E donor',
    ...(gift.pointToken ? { pointToken: gift.pointToken } : {}),
  };
  const view = await expectStatus<DonationView>([200, 201], `${suite.payment.url}/donations`, {
    body,
    headers: { 'idempotency-key': key },
    retryUnavailable: options.retryUnavailable,
  });
  const { donorSecret } = view as DonationView & { donorSecret?: string };
  if (donorSecret) donorSecrets.set(view.id, donorSecret);
  const recorded = book.add({
    id: view.id,
    provider: gift.provider,
    currency: gift.currency,
    amount: gift.amount,
    channel: gift.officeId ? 'office' : 'online',
    officeId: gift.officeId ?? null,
  });
  return { gift: recorded, view };
}

/** The donor secret each gift's POST answer gave its donor's device (only there). */
const donorSecrets = new Map<string, string>();

/** Headers of the donor's device for reward's donor endpoints (the full claim code needs them). */
export function asDonor(donationId: string): Record<string, string> {
  const secret = donorSecrets.get(donationId);
  return secret ? { 'x-donor-secret': secret } : {};
}

export async function getDonation(suite: Suite, id: string): Promise<DonationView> {
  return expectStatus<DonationView>(200, `${suite.payment.url}/donations/${id}`);
}

/** Staff of the point's office make a one-time counter QR for an amount. */
export async function counterQr(
  suite: Suite,
  pointId: string,
  staffKey: string,
  amount: number,
  currency: Currency,
): Promise<{ token: string; url: string; officeId: string }> {
  return expectStatus(201, `${suite.payment.url}/donation-points/${pointId}/intents`, {
    key: staffKey,
    body: { amount, currency },
  });
}

/** The Stripe SDK pointed at the fake, used as Stripe's dashboard would be (refunds there). */
export function stripeSdk(suite: Suite): Stripe {
  return new Stripe('sk_test_e2e', suite.stripe.sdkOptions());
}

export interface StripeScript {
  events: StripeEvent[];
}

/**
 * Everything Stripe will tell the payment service about one gift, decided up front and applied
 * to the fake's state, with the events it would send (undelivered): payment (or decline), then
 * maybe a refund made in Stripe's dashboard, or a dispute won or lost. The book is updated with
 * what the ledger must end up with.
 */
export async function scriptStripeGift(
  suite: Suite,
  gift: Gift,
  sessionId: string,
  plan: { fail?: boolean; refund?: number; dispute?: 'won' | 'lost' },
): Promise<StripeScript> {
  const fake = suite.stripe;
  const events = await fake.pay(sessionId, {
    outcome: plan.fail ? 'failed' : 'succeeded',
    deliver: false,
  });
  if (plan.fail) return { events };
  gift.succeeded = true;
  gift.fee = stripeFee(gift.amount);
  const intentId = fake.sessions.get(sessionId)!.payment_intent as string;
  if (plan.refund) {
    const refund = await stripeSdk(suite).refunds.create({
      payment_intent: intentId,
      amount: plan.refund,
    });
    gift.refunds.push({ id: refund.id, amount: plan.refund });
    const chargeId = fake.paymentIntents.get(intentId)!.latest_charge as string;
    events.push(fake.event('charge.refunded', fake.charges.get(chargeId)!));
  } else if (plan.dispute) {
    const opened = await fake.openDispute(intentId, { deliver: false });
    events.push(opened);
    events.push(await fake.closeDispute(opened.data.object.id, plan.dispute, { deliver: false }));
    if (plan.dispute === 'lost') gift.lost = gift.amount;
  }
  return { events };
}

/** One POST of a signed event to /webhooks/stripe; status 0 when the service is unreachable. */
export async function deliverStripe(
  suite: Suite,
  event: StripeEvent,
): Promise<{ status: number; body: string }> {
  const { payload, signature } = suite.stripe.sign(event);
  try {
    const res = await fetch(suite.stripe.webhookUrl!, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'stripe-signature': signature },
      body: payload,
      signal: AbortSignal.timeout(30_000),
    });
    return { status: res.status, body: await res.text() };
  } catch (err) {
    return { status: 0, body: err instanceof Error ? err.message : String(err) };
  }
}

/** Waits for a donation to reach a status (the webhook was processed). */
export async function waitForStatus(
  suite: Suite,
  id: string,
  status: string,
  timeoutMs = 30_000,
): Promise<DonationView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const view = await getDonation(suite, id);
    if (view.status === status) return view;
    if (Date.now() > deadline)
      throw new Error(`donation ${id} is ${view.status}, expected ${status}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

export { call };
