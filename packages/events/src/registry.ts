import type { z } from 'zod';
import { LedgerFundChangedV1 } from './funds';
import { LedgerDonationPostedV1, LedgerDonationReversedV1, LedgerFeePostedV1 } from './ledger';
import {
  PaymentDisputeClosedV1,
  PaymentDisputedV1,
  PaymentFailedV1,
  PaymentRefundedV1,
  PaymentSucceededV1,
} from './payment';
import {
  PaymentSubscriptionAmountChangedV1,
  PaymentSubscriptionCancelledV1,
  PaymentSubscriptionStartedV1,
} from './subscription';
import { RewardHandedOutV1, RewardRevokedV1, RewardUnlockedV1 } from './reward';
import { TOPICS, type Topic } from './topics';

/**
 * `subject` names the data field that is the CloudEvents subject and the Kafka key: the donation
 * id for everything that happens to a donation (default), the fund slug for fund changes, the
 * subscription id for a monthly gift's lifecycle.
 */
type EventDefinition = {
  topic: Topic;
  version: number;
  schema: z.ZodType;
  subject?: SubjectField;
};

type SubjectField = 'donationId' | 'slug' | 'subscriptionId';

/**
 * Every event type the suite knows: CloudEvents `type` → topic, version and the zod
 * schema of `data`. A new version is a new entry (e.g. "payment.succeeded.v2") next to
 * the old one, so consumers can read both while producers move over.
 */
export const EVENT_REGISTRY = {
  'payment.succeeded.v1': { topic: TOPICS.payment, version: 1, schema: PaymentSucceededV1 },
  'payment.failed.v1': { topic: TOPICS.payment, version: 1, schema: PaymentFailedV1 },
  'payment.refunded.v1': { topic: TOPICS.payment, version: 1, schema: PaymentRefundedV1 },
  'payment.disputed.v1': { topic: TOPICS.payment, version: 1, schema: PaymentDisputedV1 },
  'payment.dispute-closed.v1': {
    topic: TOPICS.payment,
    version: 1,
    schema: PaymentDisputeClosedV1,
  },
  'payment.subscription-started.v1': {
    topic: TOPICS.payment,
    version: 1,
    schema: PaymentSubscriptionStartedV1,
    subject: 'subscriptionId',
  },
  'payment.subscription-amount-changed.v1': {
    topic: TOPICS.payment,
    version: 1,
    schema: PaymentSubscriptionAmountChangedV1,
    subject: 'subscriptionId',
  },
  'payment.subscription-cancelled.v1': {
    topic: TOPICS.payment,
    version: 1,
    schema: PaymentSubscriptionCancelledV1,
    subject: 'subscriptionId',
  },
  'ledger.donation-posted.v1': {
    topic: TOPICS.ledger,
    version: 1,
    schema: LedgerDonationPostedV1,
  },
  'ledger.donation-reversed.v1': {
    topic: TOPICS.ledger,
    version: 1,
    schema: LedgerDonationReversedV1,
  },
  'ledger.fee-posted.v1': { topic: TOPICS.ledger, version: 1, schema: LedgerFeePostedV1 },
  'ledger.fund-changed.v1': {
    topic: TOPICS.funds,
    version: 1,
    schema: LedgerFundChangedV1,
    subject: 'slug',
  },
  'reward.unlocked.v1': { topic: TOPICS.reward, version: 1, schema: RewardUnlockedV1 },
  'reward.handed-out.v1': { topic: TOPICS.reward, version: 1, schema: RewardHandedOutV1 },
  'reward.revoked.v1': { topic: TOPICS.reward, version: 1, schema: RewardRevokedV1 },
} as const satisfies Record<string, EventDefinition>;

export type EventRegistry = typeof EVENT_REGISTRY;
export type EventType = keyof EventRegistry;
export type DataOf<T extends EventType> = z.infer<EventRegistry[T]['schema']>;

export const EVENT_TYPES = Object.keys(EVENT_REGISTRY) as EventType[];

export function isEventType(value: unknown): value is EventType {
  return typeof value === 'string' && Object.hasOwn(EVENT_REGISTRY, value);
}

export function topicOf<T extends EventType>(type: T): EventRegistry[T]['topic'] {
  return EVENT_REGISTRY[type].topic;
}

/** The data field that is the subject (and Kafka key) of events of this type. */
export function subjectFieldOf(type: EventType): SubjectField {
  const def: EventDefinition = EVENT_REGISTRY[type];
  return def.subject ?? 'donationId';
}

/** Event types published to `topic` (what a consumer of that topic may receive). */
export function eventTypesOf(topic: Topic): EventType[] {
  return EVENT_TYPES.filter((t) => EVENT_REGISTRY[t].topic === topic);
}
