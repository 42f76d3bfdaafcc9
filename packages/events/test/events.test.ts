import {
  CLOUDEVENTS_CONTENT_TYPE,
  EVENT_REGISTRY,
  EVENT_TYPES,
  EventValidationError,
  TOPICS,
  createEvent,
  dlqTopic,
  eventTypesOf,
  parseEvent,
  serializeEvent,
  subjectFieldOf,
  toKafkaRecord,
  topicOf,
  type AnyEvent,
  type DataOf,
  type EventType,
} from '../src';
import { AMOUNT_FIELD, DONATION_ID, OTHER_UUID, SUBSCRIPTION_ID, VALID_DATA } from './fixtures';

const SOURCE = '/services/test';
const TIME = '2025-03-01T10:15:01.000Z';

function envelope(type: EventType, data: unknown = VALID_DATA[type]): Record<string, unknown> {
  return {
    specversion: '1.0',
    id: OTHER_UUID,
    source: SOURCE,
    type,
    time: TIME,
    subject: DONATION_ID,
    datacontenttype: 'application/json',
    data,
  };
}

function refusal(value: unknown): EventValidationError {
  try {
    parseEvent(value);
  } catch (error) {
    if (error instanceof EventValidationError) return error;
    throw error;
  }
  throw new Error('expected parseEvent to refuse the event');
}

const clone = <T>(v: T): T => structuredClone(v);

describe('topics and registry', () => {
  it('maps each type to its topic', () => {
    expect(topicOf('payment.refunded.v1')).toBe('payment.events');
    expect(topicOf('ledger.fee-posted.v1')).toBe('ledger.events');
    expect(topicOf('reward.revoked.v1')).toBe('reward.events');
    expect(dlqTopic(TOPICS.ledger)).toBe('ledger.events.dlq');
  });

  it('registers exactly the fifteen v1 types, each on a topic of its publisher', () => {
    expect(EVENT_TYPES).toHaveLength(15);
    for (const type of EVENT_TYPES) {
      const prefix = type.split('.')[0]!;
      expect(EVENT_REGISTRY[type].topic.startsWith(`${prefix}.`)).toBe(true);
      expect(type.endsWith(`.v${EVENT_REGISTRY[type].version}`)).toBe(true);
    }
    expect(eventTypesOf(TOPICS.reward)).toEqual([
      'reward.unlocked.v1',
      'reward.handed-out.v1',
      'reward.revoked.v1',
    ]);
  });
});

const DONATION_TYPES = EVENT_TYPES.filter((t) => subjectFieldOf(t) === 'donationId');

describe.each(DONATION_TYPES)('%s', (type) => {
  it('accepts the valid example and round-trips serialize → parse', () => {
    const event = createEvent(type, VALID_DATA[type], { source: SOURCE, time: new Date(TIME) });
    expect(event).toMatchObject({
      specversion: '1.0',
      type,
      source: SOURCE,
      subject: DONATION_ID,
      time: TIME,
      datacontenttype: 'application/json',
      data: VALID_DATA[type],
    });
    expect(event.id).toMatch(/^[0-9a-f-]{36}$/);
    const text = serializeEvent(event);
    expect(JSON.parse(text)).toEqual(event);
    expect(parseEvent(text)).toEqual(event);
    expect(parseEvent(Buffer.from(text))).toEqual(event);
  });

  it('builds the Kafka record: topic of the type, key = donation id, structured content type', () => {
    const event = createEvent(type, VALID_DATA[type], { source: SOURCE, id: OTHER_UUID });
    expect(toKafkaRecord(event)).toEqual({
      topic: topicOf(type),
      key: DONATION_ID,
      value: serializeEvent(event),
      headers: { 'content-type': CLOUDEVENTS_CONTENT_TYPE },
    });
  });

  it('refuses a missing donationId', () => {
    const data = clone(VALID_DATA[type]) as Record<string, unknown>;
    delete data.donationId;
    expect(refusal(envelope(type, data)).message).toContain(
      'data.donationId: must be a UUID (the donation id)',
    );
  });

  it('refuses a bad uuid', () => {
    const data = { ...VALID_DATA[type], donationId: 'donation-1' };
    const error = refusal({ ...envelope(type, data), subject: 'donation-1' });
    expect(error.message).toContain('data.donationId: must be a UUID (the donation id)');
    expect(error.message).toContain('subject: must be a UUID (the donation id)');
  });

  it('refuses an unknown key in data (strict contract)', () => {
    const error = refusal(envelope(type, { ...VALID_DATA[type], donorEmail: 'x@example.org' }));
    expect(error.message).toBe(
      `Invalid ${type} event ${OTHER_UUID}: data: Unrecognized key: "donorEmail"`,
    );
    expect(error.issues).toEqual([{ path: 'data', message: 'Unrecognized key: "donorEmail"' }]);
    expect(error.eventType).toBe(type);
    expect(error.eventId).toBe(OTHER_UUID);
  });

  it('refuses the same event under another version', () => {
    const v2 = type.replace(/v1$/, 'v2');
    expect(refusal({ ...envelope(type), type: v2 }).message).toBe(
      `Unknown event type "${v2}": known versions are ${type}`,
    );
  });

  const amountField = AMOUNT_FIELD[type];
  if (amountField) {
    it.each<[string, unknown, string]>([
      ['a float amount', { minor: 12.5, currency: 'BYN' }, 'whole number of minor units'],
      ['an amount as a string', { minor: '1250', currency: 'BYN' }, 'whole number of minor units'],
      ['a negative amount', { minor: -100, currency: 'BYN' }, 'must not be negative'],
      ['a zero amount', { minor: 0, currency: 'BYN' }, 'amount must be greater than zero'],
      ['an unknown currency', { minor: 100, currency: 'XYZ' }, 'unknown currency "XYZ"'],
      ['a major-unit amount', { amount: '12.50', currency: 'BYN' }, 'Unrecognized key: "amount"'],
    ])(`refuses ${amountField} with %s`, (_label, amount, message) => {
      const data = { ...VALID_DATA[type], [amountField]: amount };
      expect(refusal(envelope(type, data)).message).toContain(`data.${amountField}`);
      expect(refusal(envelope(type, data)).message).toContain(message);
    });
  }
});

describe('coveredFee (cover the fee)', () => {
  it('accepts the part of gross the donor added for the fee, and null', () => {
    for (const coveredFee of [{ minor: 50, currency: 'BYN' }, null]) {
      const data = { ...clone(VALID_DATA['payment.succeeded.v1']), coveredFee };
      expect(parseEvent(envelope('payment.succeeded.v1', data)).data).toMatchObject({ coveredFee });
    }
  });
});

describe('cross-field rules', () => {
  it.each<[EventType, Record<string, unknown>, string]>([
    [
      'payment.succeeded.v1',
      { officeId: null },
      'data.officeId: must name the office when channel is "office"',
    ],
    [
      'payment.succeeded.v1',
      { provider: 'applepay' },
      'data.provider: Invalid option: expected one of "stripe"|"paypal"',
    ],
    ['payment.succeeded.v1', { fund: 'Specialist Training' }, 'data.fund: must be a fund slug'],
    [
      'payment.succeeded.v1',
      { occurredAt: '2025-03-01 10:15' },
      'data.occurredAt: must be an ISO 8601 date-time',
    ],
    [
      'payment.succeeded.v1',
      { providerRefs: { sessionId: 'x' } },
      'data.providerRefs: Unrecognized key: "sessionId"',
    ],
    [
      'payment.succeeded.v1',
      { fee: { minor: 1.5, currency: 'BYN' } },
      'data.fee.minor: amount must be a whole number',
    ],
    [
      'payment.succeeded.v1',
      { donorSecretHash: 'the-secret-itself' },
      'data.donorSecretHash: must be the hex SHA-256 of the donor secret',
    ],
    [
      'payment.succeeded.v1',
      { coveredFee: { minor: 50, currency: 'USD' } },
      'data.coveredFee: currency USD differs from gross currency',
    ],
    [
      'payment.succeeded.v1',
      { coveredFee: { minor: 999_999_999, currency: 'BYN' } },
      'data.coveredFee: must be less than gross',
    ],
    [
      'ledger.donation-posted.v1',
      { donorSecretHash: 'AB'.repeat(32) },
      'data.donorSecretHash: must be the hex SHA-256 of the donor secret',
    ],
    ['payment.failed.v1', { reason: '' }, 'data.reason: must not be empty'],
    [
      'payment.refunded.v1',
      { amount: { minor: 500, currency: 'USD' } },
      'data.amount: currency USD differs from gross currency BYN',
    ],
    [
      'payment.refunded.v1',
      { totalRefunded: { minor: 2600, currency: 'BYN' }, fullyRefunded: false },
      'data.totalRefunded: must not exceed gross',
    ],
    [
      'payment.refunded.v1',
      { totalRefunded: { minor: 400, currency: 'BYN' }, fullyRefunded: false },
      'data.totalRefunded: must be at least amount',
    ],
    [
      'payment.refunded.v1',
      { fullyRefunded: false },
      'data.fullyRefunded: must be true exactly when totalRefunded equals gross',
    ],
    [
      'payment.dispute-closed.v1',
      { outcome: 'pending' },
      'data.outcome: Invalid option: expected one of "won"|"lost"',
    ],
    [
      'payment.disputed.v1',
      { amount: { minor: 2500, currency: 'EUR' } },
      'data.amount: currency EUR differs from gross currency BYN',
    ],
    [
      'ledger.donation-posted.v1',
      { channel: 'office' },
      'data.officeId: must name the office when channel is "office"',
    ],
    [
      'ledger.donation-reversed.v1',
      { reason: 'chargeback' },
      'data.reason: Invalid option: expected one of "refund"|"dispute-lost"',
    ],
    [
      'ledger.donation-reversed.v1',
      { journalEntryId: 'je-1' },
      'data.journalEntryId: must be a UUID',
    ],
    ['ledger.fee-posted.v1', { chargedTo: '' }, 'data.chargedTo: must be a fund slug'],
    [
      'reward.unlocked.v1',
      { status: 'handed-out' },
      'data.status: Invalid option: expected one of "available"|"waiting-list"',
    ],
    [
      'reward.unlocked.v1',
      { officeId: null },
      'data.officeId: a physical sticker pack must name the office',
    ],
    ['reward.unlocked.v1', { kind: 'mug' }, 'data.kind: Invalid option'],
    ['reward.unlocked.v1', { rewardId: 'r1' }, 'data.rewardId: must be a UUID'],
    [
      'reward.handed-out.v1',
      { handedOutBy: null },
      'data.handedOutBy: a physical sticker pack must name the staff member',
    ],
    [
      'reward.revoked.v1',
      { wasClaimed: false },
      'data.status: must be "flagged" exactly when wasClaimed is true',
    ],
    [
      'reward.revoked.v1',
      { status: 'revoked' },
      'data.status: must be "flagged" exactly when wasClaimed is true',
    ],
  ])('%s with %j is refused: %s', (type, patch, message) => {
    const data = { ...VALID_DATA[type], ...patch };
    expect(refusal(envelope(type, data)).message).toContain(message);
  });

  it.each<[EventType, Record<string, unknown>]>([
    [
      'payment.refunded.v1',
      { totalRefunded: { minor: 500, currency: 'BYN' }, fullyRefunded: false },
    ],
    [
      'payment.succeeded.v1',
      { channel: 'online', officeId: null, donationPointId: null, fee: null },
    ],
    ['payment.succeeded.v1', { fee: { minor: 30, currency: 'USD' } }],
    ['payment.succeeded.v1', { donorSecretHash: 'ab'.repeat(32) }],
    ['ledger.donation-posted.v1', { donorSecretHash: 'cd'.repeat(32) }],
    [
      'reward.unlocked.v1',
      { kind: 'digital-sticker-pack', officeId: null, status: 'waiting-list' },
    ],
    ['reward.handed-out.v1', { kind: 'digital-sticker-pack', officeId: null, handedOutBy: null }],
    ['reward.revoked.v1', { status: 'revoked', wasClaimed: false, reason: 'dispute-lost' }],
  ])('%s with %j is accepted', (type, patch) => {
    const data = { ...VALID_DATA[type], ...patch };
    expect(parseEvent(envelope(type, data)).data).toEqual(data);
  });
});

describe('envelope', () => {
  const type = 'payment.succeeded.v1';

  it.each<[string, Record<string, unknown>, string]>([
    ['specversion', { specversion: '0.3' }, 'specversion: Invalid input: expected "1.0"'],
    ['id', { id: 'evt-1' }, 'id: must be a UUID'],
    ['source', { source: '' }, 'source: must be a non-empty URI reference'],
    ['time', { time: 'yesterday' }, 'time: must be an ISO 8601 date-time'],
    ['subject', { subject: OTHER_UUID }, `subject: must equal data.donationId (${DONATION_ID})`],
    ['datacontenttype', { datacontenttype: 'text/plain' }, 'datacontenttype: Invalid input'],
    ['extension attribute', { partitionkey: 'k' }, 'event: Unrecognized key: "partitionkey"'],
    ['traceparent', { traceparent: '00-abc' }, 'traceparent: must be a W3C traceparent'],
    ['tracestate', { tracestate: 'a=1\n' }, 'tracestate: must be a W3C tracestate'],
    ['missing data', { data: undefined }, 'data: Invalid input: expected object'],
  ])('refuses a bad %s', (_label, patch, message) => {
    expect(refusal({ ...envelope(type), ...patch }).message).toContain(message);
  });

  it.each<[string, unknown, string]>([
    ['null', null, 'Event is empty (message has no value)'],
    ['not JSON', '{"type": ', 'Event is not valid JSON: '],
    ['an array', '[]', 'Event must be a JSON object (a CloudEvents envelope)'],
    ['a number', 42, 'Event must be a JSON object (a CloudEvents envelope)'],
    ['no type', { id: OTHER_UUID }, 'Event has no "type" attribute'],
    [
      'an unknown type',
      { type: 'payment.captured.v1' },
      'Unknown event type "payment.captured.v1"; known types: payment.succeeded.v1, ',
    ],
  ])('refuses %s', (_label, value, message) => {
    expect(refusal(value).message).toContain(message);
  });

  it('keeps the distributed-tracing extension (traceparent, tracestate) through serialize → parse', () => {
    const traced = {
      ...envelope(type),
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'vendor=opaque,other=1',
    };
    const event = parseEvent(JSON.stringify(traced));
    expect(event).toMatchObject({
      traceparent: traced.traceparent,
      tracestate: traced.tracestate,
    });
    expect(JSON.parse(serializeEvent(event))).toEqual(traced);
    // An event written without tracing (or before it existed) parses as it always did.
    expect(parseEvent(JSON.stringify(envelope(type)))).not.toHaveProperty('traceparent');
  });

  it('refuses an event on the wrong topic when the topic is given', () => {
    const text = JSON.stringify(envelope(type));
    expect(parseEvent(text, { topic: TOPICS.payment }).type).toBe(type);
    expect(() => parseEvent(text, { topic: TOPICS.ledger })).toThrow(
      'Event type payment.succeeded.v1 belongs on topic payment.events, not ledger.events',
    );
  });

  it('lists every problem in one message', () => {
    const data = { ...VALID_DATA[type], gross: { minor: 1.5, currency: 'XYZ' }, fund: 'A B' };
    const error = refusal({ ...envelope(type, data), time: 'now' });
    expect(error.issues.map((i) => i.path).sort()).toEqual(
      ['data.fund', 'data.gross.currency', 'data.gross.minor', 'time'].sort(),
    );
    expect(error.message.startsWith(`Invalid ${type} event ${OTHER_UUID}: `)).toBe(true);
  });

  it('createEvent refuses a subject that is not the donation', () => {
    expect(() =>
      createEvent(type, VALID_DATA[type], { source: SOURCE, subject: OTHER_UUID }),
    ).toThrow(EventValidationError);
  });

  it('createEvent refuses bad data at the producer', () => {
    const data = { ...VALID_DATA[type], gross: { minor: 12.5, currency: 'BYN' as const } };
    expect(() => createEvent(type, data, { source: SOURCE })).toThrow(
      /data\.gross\.minor: amount must be a whole number of minor units/,
    );
  });

  it('serializeEvent refuses an event that was tampered with after creation', () => {
    const event = createEvent(type, VALID_DATA[type], { source: SOURCE });
    const tampered = { ...event, data: { ...event.data, fund: 'NOT A SLUG' } } as AnyEvent;
    expect(() => serializeEvent(tampered)).toThrow(EventValidationError);
  });

  it('gives each new event its own id', () => {
    const a = createEvent(type, VALID_DATA[type], { source: SOURCE });
    const b = createEvent(type, VALID_DATA[type], { source: SOURCE });
    expect(a.id).not.toBe(b.id);
  });

  it('narrows data by type', () => {
    const event = parseEvent(JSON.stringify(envelope('payment.refunded.v1')));
    if (event.type !== 'payment.refunded.v1') throw new Error('wrong type');
    // Compiles only because the discriminated union narrowed `data`.
    expect(event.data.totalRefunded.minor).toBe(2500);
  });
});

describe('ledger.fund-changed.v1', () => {
  const type = 'ledger.fund-changed.v1';
  const data = VALID_DATA[type];

  it('is keyed by the fund slug on ledger.funds, so one fund keeps its order', () => {
    const event = createEvent(type, data, { source: SOURCE, id: OTHER_UUID });
    expect(event.subject).toBe('specialist-training');
    expect(toKafkaRecord(event)).toMatchObject({
      topic: 'ledger.funds',
      key: 'specialist-training',
    });
    expect(parseEvent(serializeEvent(event))).toEqual(event);
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['status', { status: 'archived' }, 'data.status: Invalid option'],
    ['slug', { slug: 'Special Training' }, 'data.slug: must be a fund slug'],
    ['version', { version: 1.5 }, 'data.version: must be a whole number'],
    ['extra key', { feePolicy: 'fund' }, 'data: Unrecognized key: "feePolicy"'],
  ])('refuses a bad %s', (_label, patch, message) => {
    const env = { ...envelope(type, { ...data, ...patch }), subject: data.slug };
    expect(refusal(env).message).toContain(message);
  });

  it('refuses a subject that is not the slug', () => {
    expect(refusal({ ...envelope(type), subject: 'general' }).message).toContain(
      'subject: must equal data.slug (specialist-training), got general',
    );
  });
});

describe('monthly gifts', () => {
  const SUBSCRIPTION_TYPES = EVENT_TYPES.filter((t) => subjectFieldOf(t) === 'subscriptionId');

  it('keys the lifecycle events by the subscription id', () => {
    expect(SUBSCRIPTION_TYPES).toEqual([
      'payment.subscription-started.v1',
      'payment.subscription-amount-changed.v1',
      'payment.subscription-cancelled.v1',
    ]);
    for (const type of SUBSCRIPTION_TYPES) {
      const event = createEvent(type, VALID_DATA[type], { source: SOURCE });
      expect(toKafkaRecord(event)).toMatchObject({ topic: 'payment.events', key: SUBSCRIPTION_ID });
    }
  });

  it('refuses a subject that is not the subscription id, and an amount change across currencies', () => {
    const type = 'payment.subscription-amount-changed.v1';
    expect(refusal({ ...envelope(type), subject: DONATION_ID }).message).toContain(
      `subject: must equal data.subscriptionId (${SUBSCRIPTION_ID})`,
    );
    const data = { ...VALID_DATA[type], previousAmount: { minor: 1500, currency: 'EUR' } };
    expect(refusal({ ...envelope(type, data), subject: SUBSCRIPTION_ID }).message).toContain(
      'differs from previousAmount currency',
    );
  });

  it('an installment carries its recurrence; absent or null is a one-off gift', () => {
    const base = VALID_DATA['payment.succeeded.v1'];
    const recurrence = { subscriptionId: SUBSCRIPTION_ID, installment: 3, interval: 'month' };
    for (const data of [base, { ...base, recurrence: null }, { ...base, recurrence }])
      expect(
        createEvent('payment.succeeded.v1', data as typeof base, { source: SOURCE }).data,
      ).toEqual(data);
    const bad = { ...base, recurrence: { ...recurrence, installment: 0 } };
    expect(refusal(envelope('payment.succeeded.v1', bad)).message).toContain(
      'data.recurrence.installment: installments count from 1',
    );
  });
});

// Services wrap createEvent in generic helpers (outbox writers); this must type-check.
function serializeGeneric<T extends EventType>(type: T, data: DataOf<T>): string {
  const event = createEvent(type, data, { source: SOURCE });
  return toKafkaRecord(event).value;
}

describe('generic producers', () => {
  it('serialize through a generic helper', () => {
    const text = serializeGeneric('ledger.fee-posted.v1', VALID_DATA['ledger.fee-posted.v1']);
    expect(parseEvent(text).type).toBe('ledger.fee-posted.v1');
  });
});
