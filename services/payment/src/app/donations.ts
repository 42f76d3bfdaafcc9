import { createHash, randomUUID } from 'node:crypto';
import { minorFromColumn, moneyFromColumn, type Money } from '@bfi/money';
import { decide, paypalRefusal } from '../domain/donation';
import { PaymentError } from '../domain/errors';
import { stateOf, type DonationRow, type Tx } from '../db/repository';
import { ProviderError, type DonorLocale } from '../providers/types';
import { findFund } from '../db/funds';
import { applyToDonation } from './apply';
import { checkoutOnce, checkoutSettled, donorSecretFor } from './checkout';
import { chargeColumns } from './cover-fee';
import type { AppDeps } from './deps';
import { resolvePointToken, type Attribution } from './points';
import {
  insertSubscription,
  monthlyRefusal,
  seedOf,
  withSubscription,
  type Frequency,
  type NewSubscriptionView,
} from './subscriptions';
import { toView, type DonationView } from './view';

export interface NewDonation {
  amount: Money;
  fund: string;
  provider: 'stripe' | 'paypal';
  donorName: string | null;
  donorEmail: string | null;
  pointToken: string | null;
  /** The donor page's language: the provider's checkout page and the receipt e-mail speak it. */
  locale?: DonorLocale;
  /** Add the estimated provider fee to the charge, so the fund receives all of `amount`. */
  coverFee?: boolean;
  /** 'monthly': a subscription at the provider, this donation its first installment. */
  frequency?: Frequency;
}

export interface CreateResult {
  donation: DonationView & { subscription?: NewSubscriptionView };
  /** True when the Idempotency-Key was seen with this same body: nothing new was created. */
  replayed: boolean;
  /** For the donor's device only (also in the thank-you URL); only its hash is stored. */
  donorSecret: string;
}

/**
 * What a replay must match. The page language is left out: it only dresses the provider's
 * page, so a retry from the same form in another language is the same donation.
 */
function requestHash(input: NewDonation): string {
  const { locale: _presentation, ...donation } = input;
  return createHash('sha256').update(JSON.stringify(donation)).digest('hex');
}

async function findDonation(deps: AppDeps, id: string): Promise<DonationRow | null> {
  return deps.db.donation.findUnique({ where: { id }, include: { payment: true } });
}

export async function getDonation(deps: AppDeps, id: string): Promise<DonationView> {
  const row = await findDonation(deps, id);
  if (!row) throw new PaymentError('not-found', `There is no donation ${id}.`);
  return toView(row);
}

/**
 * POST /donations: one donation per Idempotency-Key; the provider checkout is created after the
 * donation row is committed, so a crash in between is repaired by the client's retry.
 */
export async function createDonation(
  deps: AppDeps,
  key: string,
  input: NewDonation,
): Promise<CreateResult> {
  const hash = requestHash(input);
  const previous = await replayOf(deps, key, hash);
  if (previous && checkoutSettled(previous))
    return {
      donation: await withSubscription(deps, previous, toView(previous)),
      replayed: true,
      donorSecret: donorSecretFor(deps, previous.id),
    };
  const paypal = input.provider === 'paypal' ? paypalRefusal(input.amount.currency) : null;
  if (paypal)
    throw new PaymentError('unprocessable', paypal, {
      code: 'currency-not-supported-by-provider',
    });
  const monthly = monthlyRefusal(input);
  if (monthly) throw new PaymentError('unprocessable', monthly.detail, { code: monthly.code });
  // A donation that exists was taken while its fund was open: finish it even if the fund closed.
  if (!previous) await requireOpenFund(deps, input.fund);
  const { row, created } = previous
    ? { row: previous, created: false }
    : await insertDonation(
        deps,
        key,
        hash,
        input,
        await resolvePointToken(deps, input.pointToken, input.amount),
      );
  return {
    donation: await withSubscription(
      deps,
      row,
      await checkoutOnce(deps, row, input.locale ?? null),
    ),
    replayed: !created,
    donorSecret: donorSecretFor(deps, row.id),
  };
}

/**
 * Refuses a gift the ledger could not book, before anything is created or charged. Payment knows
 * the funds from the ledger's ledger.fund-changed events (its local fund table), so this check
 * never waits on the ledger.
 */
async function requireOpenFund(deps: AppDeps, slug: string): Promise<void> {
  const fund = await findFund(deps.db, slug);
  if (!fund)
    throw new PaymentError(
      'unprocessable',
      `There is no fund "${slug}" to give to. Choose one of the campaign's funds (for example "${deps.config.defaultFund}"); you have not been charged.`,
      { code: 'fund-unknown' },
    );
  if (fund.status !== 'open')
    throw new PaymentError(
      'unprocessable',
      `The fund "${fund.name}" no longer takes gifts. Choose another fund; you have not been charged.`,
      { code: 'fund-closed' },
    );
}

async function replayOf(deps: AppDeps, key: string, hash: string): Promise<DonationRow | null> {
  const seen = await deps.db.idempotencyKey.findUnique({ where: { key } });
  if (!seen) return null;
  if (seen.requestHash !== hash) {
    throw new PaymentError(
      'conflict',
      'This Idempotency-Key was already used for a different donation request. Use a new key for a new donation.',
    );
  }
  return findDonation(deps, seen.donationId);
}

async function insertDonation(
  deps: AppDeps,
  key: string,
  hash: string,
  input: NewDonation,
  at: Attribution,
): Promise<{ row: DonationRow; created: boolean }> {
  const id = randomUUID();
  const inserted = await deps.db.$transaction(async (tx) => {
    const claimed = await tx.$executeRawUnsafe(
      'INSERT INTO idempotency_key (key, request_hash, donation_id) VALUES ($1, $2, $3::uuid) ON CONFLICT (key) DO NOTHING',
      key,
      hash,
      id,
    );
    if (claimed === 0) return false;
    const subscriptionId = input.frequency === 'monthly' ? randomUUID() : null;
    if (subscriptionId) await insertSubscription(tx, subscriptionId, seedOf(input, at));
    await tx.donation.create({
      data: {
        id,
        status: 'pending',
        ...chargeColumns(deps, input),
        currency: input.amount.currency,
        fund: input.fund,
        provider: input.provider,
        channel: at.channel,
        officeId: at.officeId,
        officeName: at.officeName,
        donationPointId: at.pointId,
        donorName: input.donorName,
        donorEmail: input.donorEmail,
        locale: input.locale ?? null,
        donorSecretHash: deps.donorSecrets.hash(donorSecretFor(deps, id)),
        ...(subscriptionId ? { subscriptionId, installment: 1 } : {}),
        payment: { create: { provider: input.provider } },
      },
    });
    if (at.intentJti) await consumeIntent(tx, at.intentJti, id);
    return true;
  });
  if (!inserted) {
    // Another request with the same key won the race; answer as its replay.
    const row = await replayOf(deps, key, hash);
    if (row) return { row, created: false };
    throw new PaymentError(
      'conflict',
      'A request with this Idempotency-Key is being processed; retry in a moment.',
    );
  }
  return { row: (await findDonation(deps, id))!, created: true };
}

/** Single use, enforced by the row: only one transaction can flip consumed_at from NULL. */
async function consumeIntent(tx: Tx, jti: string, donationId: string): Promise<void> {
  const updated = await tx.$executeRawUnsafe(
    'UPDATE qr_token SET consumed_at = now(), donation_id = $2::uuid WHERE jti = $1::uuid AND consumed_at IS NULL AND expires_at > now()',
    jti,
    donationId,
  );
  if (updated === 1) return;
  const row = await tx.qrToken.findUnique({ where: { jti } });
  if (row?.consumedAt)
    throw new PaymentError(
      'conflict',
      'This counter QR code was already used for a donation. Ask the staff member for a new one.',
      { code: 'qr-reused' },
    );
  throw new PaymentError(
    'gone',
    'This counter QR code has expired; ask the staff member to show a new one.',
    { code: 'qr-expired' },
  );
}

/** Full (no amount) or partial refund through the donation's provider. */
export async function refundDonation(
  deps: AppDeps,
  id: string,
  amountMinor: number | undefined,
  key: string | undefined,
): Promise<DonationView> {
  const row = await findDonation(deps, id);
  if (!row) throw new PaymentError('not-found', `There is no donation ${id}.`);
  // A dry run of the state machine refuses early; the real check runs again under the row lock.
  const state = row;
  const remaining = minorFromColumn(state.amountMinor) - minorFromColumn(state.refundedMinor);
  const amount: Money = moneyFromColumn(amountMinor ?? remaining, row.currency);
  const check = decide(stateOf(state), { kind: 'refund', refundId: 'dry-run', amount });
  if (check.outcome === 'refused') throw new PaymentError('conflict', check.reason);
  const requestKey = `refund-${id}-${key ?? (await derivedRefundKey(deps, id, amount))}`;
  let refund;
  try {
    refund =
      row.provider === 'stripe'
        ? await deps.stripe.refund(
            requireRef(row.payment?.paymentIntentId, 'PaymentIntent'),
            amount,
            requestKey,
          )
        : row.payment?.saleId
          ? await deps.paypal.subscriptions.refundSale(row.payment.saleId, amount, requestKey)
          : await deps.paypal.refund(
              requireRef(row.payment?.captureId, 'capture'),
              amount,
              requestKey,
            );
  } catch (err) {
    if (err instanceof ProviderError && err.status === 409)
      throw new PaymentError(
        'conflict',
        'This refund is already being sent to the provider by an earlier request. Retry in a moment; the donor is refunded once.',
        { code: 'in-progress', retryAfterSeconds: 1 },
      );
    if (err instanceof ProviderError)
      throw new PaymentError('unprocessable', `The provider refused the refund: ${err.message}`);
    throw err;
  }
  const result = await applyToDonation(deps, {
    provider: row.provider as 'stripe' | 'paypal',
    lookup: { donationId: id },
    commands: [{ kind: 'refund', refundId: refund.refundId, amount: refund.amount }],
    refundReason: 'requested',
  });
  if (result.kind !== 'applied') throw new PaymentError('not-found', `There is no donation ${id}.`);
  return toView(result.donation);
}

/**
 * The provider idempotency key of a refund sent without an Idempotency-Key: the donation's n-th
 * refund of this amount. A retry (or a double click) before the refund is recorded computes the
 * same key, so the provider refunds once; the next refund, asked after this one is recorded (the
 * request records it before answering), is refund n+1 and goes through.
 */
async function derivedRefundKey(deps: AppDeps, id: string, amount: Money): Promise<string> {
  const recorded = await deps.db.refund.count({ where: { donationId: id } });
  return `n${recorded + 1}-${amount.minor}${amount.currency}`;
}

function requireRef(value: string | null | undefined, what: string): string {
  if (!value)
    throw new PaymentError(
      'conflict',
      `This donation has no ${what} at the provider yet, so there is nothing to refund.`,
    );
  return value;
}
