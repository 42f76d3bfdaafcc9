// One donation per installment of a monthly gift. The provider's charge id (Stripe invoice,
// PayPal sale) is unique on provider_payment, so a redelivered or concurrent webhook finds the
// donation it made before instead of making a second; new installments are numbered under the
// subscription's row lock, so two charges never get the same number.
import { randomUUID } from 'node:crypto';
import type { Money } from '@bfi/money';
import type { Subscription } from '../db/generated/client';
import type { Tx } from '../db/repository';
import { lockSubscription } from './subscriptions';

export interface InstallmentCharge {
  /** Which provider reference names the charge. */
  ref: { invoiceId: string } | { saleId: string };
  amount: Money;
  /** The charge that came with the subscription's checkout: installment 1, made with it. */
  first: boolean;
}

export interface Installment {
  donationId: string;
  installment: number;
  subscription: Subscription;
}

/** The donation of this charge: found by its provider id, else installment 1 or a new one. */
export async function ensureInstallment(
  tx: Tx,
  subscriptionId: string,
  charge: InstallmentCharge,
): Promise<Installment | null> {
  const sub = await lockSubscription(tx, subscriptionId);
  if (!sub) return null;
  const known = await tx.providerPayment.findFirst({
    where: charge.ref,
    select: { donation: { select: { id: true, installment: true } } },
  });
  if (known)
    return {
      donationId: known.donation.id,
      installment: known.donation.installment ?? 1,
      subscription: sub,
    };
  const firstGift = charge.first
    ? await tx.donation.findFirst({
        where: { subscriptionId, installment: 1 },
        include: { payment: true },
      })
    : null;
  const taken =
    firstGift?.payment &&
    ('invoiceId' in charge.ref ? firstGift.payment.invoiceId : firstGift.payment.saleId);
  if (firstGift && !taken) {
    await tx.providerPayment.update({ where: { donationId: firstGift.id }, data: charge.ref });
    return { donationId: firstGift.id, installment: 1, subscription: sub };
  }
  return newInstallment(tx, sub, charge);
}

async function newInstallment(
  tx: Tx,
  sub: Subscription,
  charge: InstallmentCharge,
): Promise<Installment> {
  const last = await tx.donation.aggregate({
    where: { subscriptionId: sub.id },
    _max: { installment: true },
  });
  const installment = (last._max.installment ?? 0) + 1;
  const id = randomUUID();
  const first = await tx.donation.findFirst({
    where: { subscriptionId: sub.id, installment: 1 },
    select: { officeName: true, donationPointId: true },
  });
  await tx.donation.create({
    data: {
      id,
      status: 'pending',
      amountMinor: BigInt(charge.amount.minor),
      currency: charge.amount.currency,
      fund: sub.fund,
      provider: sub.provider,
      channel: sub.channel,
      officeId: sub.officeId,
      officeName: first?.officeName ?? null,
      donationPointId: first?.donationPointId ?? null,
      donorName: sub.donorName,
      donorEmail: sub.donorEmail,
      locale: sub.locale,
      subscriptionId: sub.id,
      installment,
      payment: { create: { provider: sub.provider, ...charge.ref } },
    },
  });
  return { donationId: id, installment, subscription: sub };
}
