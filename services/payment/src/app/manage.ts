// What a monthly donor does with the signed link, without an account: see the gift and its
// installments, change the amount of the next ones, cancel, ask for the year's summary.
import {
  conflict,
  donorSecretMatches,
  forbidden,
  HttpProblem,
  notFound,
  unprocessable,
} from '@bfi/http';
import type { Money } from '@bfi/money';
import type { PaymentConfig } from '../config';
import type { Subscription } from '../db/generated/client';
import { money } from '../db/repository';
import { maskEmail } from '../domain/subscription';
import { ProviderError } from '../providers/types';
import type { AppDeps } from './deps';
import { sendAnnualSummary } from './annual-summary';
import { signManageToken, verifyManageToken } from './manage-token';
import { lockSubscription, recordAmount, transition } from './subscriptions';

export interface InstallmentView {
  donationId: string;
  installment: number;
  amount: Money;
  status: string;
  occurredAt: string;
}

export interface SubscriptionView {
  id: string;
  status: string;
  provider: string;
  fund: string;
  amount: Money;
  donorEmail: string | null;
  startedAt: string | null;
  nextChargeAt: string | null;
  cancelledAt: string | null;
  installments: InstallmentView[];
}

/** The link a receipt e-mail or the thank-you page gives: the web's manage page. */
export async function manageUrl(
  config: PaymentConfig,
  subscriptionId: string,
  now: Date,
): Promise<string> {
  const token = await signManageToken(config.manage, subscriptionId, now);
  return `${config.manage.webBaseUrl}/monthly/${token}`;
}

async function subscriptionOf(deps: AppDeps, token: string): Promise<Subscription> {
  const id = await verifyManageToken(deps.config.manage, token, deps.now());
  const sub = await deps.db.subscription.findUnique({ where: { id } });
  if (!sub) throw notFound('This monthly gift does not exist any more.');
  return sub;
}

export async function viewOf(deps: AppDeps, sub: Subscription): Promise<SubscriptionView> {
  const donations = await deps.db.donation.findMany({
    where: { subscriptionId: sub.id },
    orderBy: { installment: 'asc' },
  });
  return {
    id: sub.id,
    status: sub.status,
    provider: sub.provider,
    fund: sub.fund,
    amount: money(sub.amountMinor, sub.currency),
    donorEmail: sub.donorEmail ? maskEmail(sub.donorEmail) : null,
    startedAt: sub.startedAt?.toISOString() ?? null,
    nextChargeAt: sub.status === 'cancelled' ? null : (sub.nextChargeAt?.toISOString() ?? null),
    cancelledAt: sub.cancelledAt?.toISOString() ?? null,
    installments: donations.map((d) => ({
      donationId: d.id,
      installment: d.installment ?? 1,
      amount: money(d.amountMinor, d.currency),
      status: d.status,
      occurredAt: (d.receiptIssuedAt ?? d.updatedAt).toISOString(),
    })),
  };
}

export async function viewByToken(deps: AppDeps, token: string): Promise<SubscriptionView> {
  return viewOf(deps, await subscriptionOf(deps, token));
}

function requireRunning(sub: Subscription): string {
  if (sub.status === 'cancelled')
    throw conflict(
      'This monthly gift is cancelled; to give again, start a new gift on the donate page.',
      {
        code: 'subscription-cancelled',
      },
    );
  if (!sub.providerSubscriptionId)
    throw conflict(
      'This monthly gift has not started yet: finish the payment first, then change it here.',
      {
        code: 'subscription-pending',
      },
    );
  return sub.providerSubscriptionId;
}

const providerProblem = (err: unknown): never => {
  if (err instanceof ProviderError && err.status !== undefined && err.status < 500)
    throw unprocessable(`The payment provider refused the change: ${err.message}`);
  if (err instanceof ProviderError)
    throw new HttpProblem(
      502,
      'Bad gateway',
      'The payment provider could not be reached; nothing was changed. Try again in a moment.',
    );
  throw err;
};

/** PATCH: the next installments charge `minor` (same currency); nothing is charged now. */
export async function changeAmount(
  deps: AppDeps,
  token: string,
  minor: number,
): Promise<SubscriptionView> {
  const sub = await subscriptionOf(deps, token);
  const providerId = requireRunning(sub);
  const amount = { minor, currency: sub.currency as Money['currency'] };
  if (Number(sub.amountMinor) === minor) return viewOf(deps, sub);
  const key = `amount-${sub.id}-${Number(sub.amountMinor)}-${minor}`;
  try {
    if (sub.provider === 'stripe')
      await deps.stripe.subscriptions.changeAmount(providerId, amount, key);
    else await deps.paypal.subscriptions.changeAmount(providerId, sub.fund, amount);
  } catch (err) {
    providerProblem(err);
  }
  const updated = await deps.db.$transaction(async (tx) => {
    const locked = (await lockSubscription(tx, sub.id))!;
    return recordAmount(deps, tx, locked, amount);
  });
  return viewOf(deps, updated);
}

/** POST cancel: the provider's subscription ends now, so nothing further is charged. */
export async function cancelByDonor(deps: AppDeps, token: string): Promise<SubscriptionView> {
  const sub = await subscriptionOf(deps, token);
  if (sub.status === 'cancelled') return viewOf(deps, sub);
  if (sub.providerSubscriptionId) {
    try {
      if (sub.provider === 'stripe')
        await deps.stripe.subscriptions.cancel(sub.providerSubscriptionId);
      else await deps.paypal.subscriptions.cancel(sub.providerSubscriptionId);
    } catch (err) {
      // Already ended at the provider (its own webhook may be on its way): end it here too.
      const gone =
        err instanceof ProviderError &&
        (err.status === 400 || err.status === 404 || err.status === 422);
      if (!gone) providerProblem(err);
    }
  }
  const updated = await deps.db.$transaction(async (tx) => {
    const locked = (await lockSubscription(tx, sub.id))!;
    return transition(deps, tx, locked, { kind: 'cancelled', reason: 'donor' });
  });
  return viewOf(deps, updated);
}

/** POST annual-summary: the year's installments as a PDF to the donor's address. */
export async function requestAnnualSummary(
  deps: AppDeps,
  token: string,
  year: number,
): Promise<{ year: number; sentTo: string }> {
  const sub = await subscriptionOf(deps, token);
  if (!sub.donorEmail)
    throw conflict('This monthly gift has no e-mail address to send the summary to.');
  await sendAnnualSummary(deps, sub, year);
  return { year, sentTo: maskEmail(sub.donorEmail) };
}

/** The thank-you page of an installment asks for the manage link with the donor secret. */
export async function manageLinkOf(
  deps: AppDeps,
  donationId: string,
  secret: string | undefined,
): Promise<{ subscriptionId: string; manageToken: string; manageUrl: string }> {
  const row = await deps.db.donation.findUnique({ where: { id: donationId } });
  if (!row) throw notFound(`There is no donation ${donationId}.`);
  if (!donorSecretMatches(secret, row.donorSecretHash))
    throw forbidden('Only the device that made this gift can open its manage link.');
  if (!row.subscriptionId)
    throw notFound('This donation is a one-off gift: there is no monthly gift to manage.');
  const manageToken = await signManageToken(deps.config.manage, row.subscriptionId, deps.now());
  return {
    subscriptionId: row.subscriptionId,
    manageToken,
    manageUrl: `${deps.config.manage.webBaseUrl}/monthly/${manageToken}`,
  };
}
