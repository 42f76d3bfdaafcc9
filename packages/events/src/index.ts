export { DEAD_LETTER_REPLAYS_TOPIC, TOPICS, dlqTopic } from './topics';
export type { Topic } from './topics';
export {
  EVENT_REGISTRY,
  EVENT_TYPES,
  eventTypesOf,
  isEventType,
  subjectFieldOf,
  topicOf,
} from './registry';
export type { DataOf, EventRegistry, EventType } from './registry';
export {
  CLOUDEVENTS_CONTENT_TYPE,
  DATA_CONTENT_TYPE,
  SPEC_VERSION,
  createEvent,
  parseEvent,
  serializeEvent,
  toKafkaRecord,
} from './envelope';
export type {
  AnyEvent,
  CreateEventOptions,
  EventOf,
  KafkaRecord,
  ParseEventOptions,
} from './envelope';
export { EventValidationError } from './errors';
export type { EventIssue } from './errors';
export {
  ChannelSchema,
  FundSlugSchema,
  ProviderRefsSchema,
  ProviderSchema,
  RecurrenceSchema,
} from './common';
export type { Channel, Provider, ProviderRefs, Recurrence } from './common';
export {
  PaymentSubscriptionAmountChangedV1,
  PaymentSubscriptionCancelledV1,
  PaymentSubscriptionStartedV1,
  SubscriptionIdSchema,
} from './subscription';
export {
  PaymentDisputeClosedV1,
  PaymentDisputedV1,
  PaymentFailedV1,
  PaymentRefundedV1,
  PaymentSucceededV1,
} from './payment';
export { LedgerDonationPostedV1, LedgerDonationReversedV1, LedgerFeePostedV1 } from './ledger';
export { FundStatusSchema, LedgerFundChangedV1 } from './funds';
export type { FundStatus } from './funds';
export {
  RewardHandedOutV1,
  RewardKindSchema,
  RewardRevokedV1,
  RewardStatusSchema,
  RewardUnlockedV1,
} from './reward';
export type { RewardKind, RewardStatus } from './reward';
