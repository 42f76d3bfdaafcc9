// One donation is one trace: the three services, each its own process with its real
// OpenTelemetry SDK, export to an OTLP/HTTP receiver this test runs (JSON encoding). One signed
// Stripe webhook goes in; the trace that starts at payment's webhook request must reach the
// ledger (through payment's outbox, relay and Kafka) and the reward decision (through the
// ledger's), and the services' log lines must carry its trace id.
import fs from 'node:fs';
import path from 'node:path';
import { eventually } from '@bfi/testing';
import {
  asDonor,
  Book,
  createGift,
  deliverStripe,
  expectStatus,
  formatTrace,
  infraFromEnv,
  OtlpCollector,
  Suite,
  waitForStatus,
  type CollectedSpan,
} from '../src';

const SERVER = 2;
const collector = new OtlpCollector();
let suite: Suite;

beforeAll(async () => {
  await collector.start();
  suite = await Suite.start({
    scenario: 'tracing',
    infra: infraFromEnv(),
    autoWebhooks: false,
    env: {
      OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_BSP_SCHEDULE_DELAY: '200',
      // info: the consumers' "event consumed" lines, whose trace ids are checked below.
      LOG_LEVEL: 'info',
    },
  });
});

afterAll(async () => {
  await suite?.stop();
  await collector.stop();
});

function one(spans: CollectedSpan[], service: string, name: string): CollectedSpan {
  const found = spans.filter((s) => s.service === service && s.name === name);
  expect(found.map((s) => `${s.service}: ${s.name}`)).toEqual([`${service}: ${name}`]);
  return found[0]!;
}

function logLinesWith(service: string, msg: string): { trace_id?: string; span_id?: string }[] {
  const text = fs.readFileSync(path.join(suite.logDir, `${service}.log`), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as { msg?: string; trace_id?: string; span_id?: string })
    .filter((l) => l.msg === msg);
}

test('one Stripe webhook makes one trace through payment, pledge-ledger and reward', async () => {
  const { gift, view } = await createGift(suite, new Book(), {
    provider: 'stripe',
    currency: 'BYN',
    amount: 2500,
  });
  // The donor pays; Stripe sends one signed webhook, checkout.session.completed.
  const events = await suite.stripe.pay(view.providerRefs.checkoutSessionId!, { deliver: false });
  const completed = events.find((e) => e.type === 'checkout.session.completed')!;
  expect((await deliverStripe(suite, completed)).status).toBe(200);
  await waitForStatus(suite, gift.id, 'succeeded');
  const reward = await eventually(() =>
    expectStatus<{ kind: string }>(200, `${suite.reward.url}/rewards/by-donation/${gift.id}`, {
      headers: asDonor(gift.id),
    }),
  );
  expect(reward.kind).toBe('digital-sticker-pack');

  const webhook = await eventually(() => {
    const found = collector.spans.filter(
      (s) => s.service === 'payment' && s.kind === SERVER && s.name.includes('/webhooks/stripe'),
    );
    expect(found).toHaveLength(1);
    return found[0]!;
  });
  // Wait until the last hop (reward's relay publishing its decision) has been exported too.
  const spans = await eventually(() => {
    const trace = collector.trace(webhook.traceId);
    expect(trace.map((s) => `${s.service}: ${s.name}`)).toEqual(
      expect.arrayContaining([
        'reward: create reward.unlocked.v1',
        'reward: publish '.concat(suite.namespace, 'reward.events'),
      ]),
    );
    return trace;
  });
  console.log(
    `trace ${webhook.traceId} of donation ${gift.id}: ${spans.length} spans\n${formatTrace(spans)}`,
  );

  expect(new Set(spans.map((s) => s.service))).toEqual(
    new Set(['payment', 'pledge-ledger', 'reward']),
  );
  // One root, the webhook request; every other span's parent is in this trace.
  const ids = new Set(spans.map((s) => s.spanId));
  expect(spans.filter((s) => !ids.has(s.parentSpanId))).toEqual([webhook]);
  expect(webhook.parentSpanId).toBe('');

  // Each hop continues the context stored with the outbox row, not the relay's.
  const paid = one(spans, 'payment', 'create payment.succeeded.v1');
  const posting = one(spans, 'pledge-ledger', 'process payment.succeeded.v1');
  const posted = one(spans, 'pledge-ledger', 'create ledger.donation-posted.v1');
  const deciding = one(spans, 'reward', 'process ledger.donation-posted.v1');
  expect(posting.parentSpanId).toBe(paid.spanId);
  expect(deciding.parentSpanId).toBe(posted.spanId);
  expect(one(spans, 'payment', `publish ${suite.namespace}payment.events`).parentSpanId).toBe(
    paid.spanId,
  );
  expect(posting.attributes).toMatchObject({
    'messaging.system': 'kafka',
    'messaging.consumer.group.name': `${suite.namespace}pledge-ledger`,
    'cloudevents.event_subject': gift.id,
    'bfi.outcome': 'processed',
  });
  // The handlers' database work is inside the consumer spans (pg instrumentation).
  const under = (parent: CollectedSpan): CollectedSpan[] => {
    const children = spans.filter((s) => s.parentSpanId === parent.spanId);
    return children.concat(children.flatMap(under));
  };
  expect(
    under(deciding).some(
      (s) =>
        s.attributes['db.system.name'] === 'postgresql' ||
        s.attributes['db.system'] === 'postgresql',
    ),
  ).toBe(true);

  // Log lines written inside the trace carry its ids.
  const consumed = logLinesWith('reward', 'event consumed');
  expect(consumed.map((l) => l.trace_id)).toContain(webhook.traceId);
  expect(collector.rejected).toEqual([]);
});
