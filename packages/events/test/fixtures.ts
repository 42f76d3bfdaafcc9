import type { DataOf, EventType } from '../src';

export const DONATION_ID = '6f1c2b7e-3c1a-4d4e-9f43-0b8f2a1d5e77';
export const OTHER_UUID = 'a3d5c0e2-8b4f-4a61-b1f0-6c2e9d7a4b10';
export const REWARD_ID = 'c0b7a4e1-2d3f-4e5a-8b6c-7d8e9f0a1b2c';

const paymentBase = {
  donationId: DONATION_ID,
  provider: 'stripe',
  providerRefs: { checkoutSessionId: 'cs_test_1', paymentIntentId: 'pi_1', chargeId: 'ch_1' },
  channel: 'office',
  officeId: 'minsk-nezavisimosti-10',
  donationPointId: 'minsk-nezavisimosti-10/counter-1',
  fund: 'specialist-training',
  gross: { minor: 2500, currency: 'BYN' },
  fee: { minor: 98, currency: 'BYN' },
  occurredAt: '2025-03-01T10:15:00.000Z',
} as const;

const ledgerBase = {
  donationId: DONATION_ID,
  journalEntryId: OTHER_UUID,
  fund: 'specialist-training',
  channel: 'online',
  officeId: null,
} as const;

const rewardBase = {
  rewardId: REWARD_ID,
  donationId: DONATION_ID,
  kind: 'physical-sticker-pack',
  officeId: 'minsk-nezavisimosti-10',
} as const;

export const SUBSCRIPTION_ID = '7d444840-9dc0-11d1-b245-5ffdce74fad2';

/** One valid `data` per event type. */
export const VALID_DATA: { [T in EventType]: DataOf<T> } = {
  'payment.succeeded.v1': { ...paymentBase },
  'payment.failed.v1': {
    ...paymentBase,
    provider: 'paypal',
    providerRefs: { orderId: '5O190127TN364715T' },
    channel: 'online',
    officeId: null,
    donationPointId: null,
    gross: { minor: 1000, currency: 'EUR' },
    fee: null,
    reason: 'INSTRUMENT_DECLINED',
  },
  'payment.refunded.v1': {
    ...paymentBase,
    providerRefs: { ...paymentBase.providerRefs, refundId: 're_1' },
    refundId: 're_1',
    amount: { minor: 500, currency: 'BYN' },
    totalRefunded: { minor: 2500, currency: 'BYN' },
    fullyRefunded: true,
  },
  'payment.disputed.v1': {
    ...paymentBase,
    disputeId: 'dp_1',
    amount: { minor: 2500, currency: 'BYN' },
  },
  'payment.dispute-closed.v1': {
    ...paymentBase,
    disputeId: 'dp_1',
    amount: { minor: 2500, currency: 'BYN' },
    outcome: 'lost',
  },
  'payment.subscription-started.v1': {
    subscriptionId: SUBSCRIPTION_ID,
    provider: 'stripe',
    fund: 'specialist-training',
    amount: { minor: 1500, currency: 'BYN' },
    interval: 'month',
    channel: 'online',
    officeId: null,
    startedAt: '2025-03-01T10:15:00.000Z',
  },
  'payment.subscription-amount-changed.v1': {
    subscriptionId: SUBSCRIPTION_ID,
    provider: 'stripe',
    fund: 'specialist-training',
    amount: { minor: 2000, currency: 'BYN' },
    previousAmount: { minor: 1500, currency: 'BYN' },
    occurredAt: '2025-03-01T10:15:00.000Z',
  },
  'payment.subscription-cancelled.v1': {
    subscriptionId: SUBSCRIPTION_ID,
    provider: 'paypal',
    fund: 'specialist-training',
    amount: { minor: 1500, currency: 'EUR' },
    reason: 'donor',
    occurredAt: '2025-03-01T10:15:00.000Z',
  },
  'ledger.donation-posted.v1': { ...ledgerBase, gross: { minor: 2500, currency: 'USD' } },
  'ledger.donation-reversed.v1': {
    ...ledgerBase,
    amount: { minor: 2500, currency: 'USD' },
    reason: 'refund',
    fullyReversed: true,
  },
  'ledger.fee-posted.v1': {
    ...ledgerBase,
    fee: { minor: 98, currency: 'USD' },
    chargedTo: 'general',
  },
  'reward.unlocked.v1': { ...rewardBase, status: 'available' },
  'reward.handed-out.v1': { ...rewardBase, status: 'handed-out', handedOutBy: 'staff-42' },
  'reward.revoked.v1': { ...rewardBase, status: 'flagged', reason: 'refund', wasClaimed: true },
  'ledger.fund-changed.v1': {
    slug: 'specialist-training',
    name: 'Training of specialists',
    status: 'open',
    restricted: true,
    version: 1,
    changedAt: '2025-03-01T10:15:00.000Z',
  },
};

/** Where each type keeps its main amount (for the float / currency mutations). */
export const AMOUNT_FIELD: Partial<Record<EventType, string>> = {
  'payment.succeeded.v1': 'gross',
  'payment.failed.v1': 'gross',
  'payment.refunded.v1': 'amount',
  'payment.disputed.v1': 'amount',
  'payment.dispute-closed.v1': 'amount',
  'ledger.donation-posted.v1': 'gross',
  'ledger.donation-reversed.v1': 'amount',
  'ledger.fee-posted.v1': 'fee',
};
