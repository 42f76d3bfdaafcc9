// With no OpenTelemetry SDK started (the default), the trace plumbing leaves events and log
// lines exactly as they were: nothing is added to what the outbox stores or a log line holds
// (the logger's own check is in packages/platform/test/logger.test.ts).
import { createEvent } from '@bfi/events';
import { activeTraceFields, withTraceContext } from '../src/tracing';

test('tracing off: an event is stored without trace attributes, and a log line gets no trace fields', () => {
  const event = createEvent(
    'ledger.fund-changed.v1',
    {
      slug: 'specialist-training',
      name: 'Specialist training',
      status: 'open',
      restricted: false,
      version: 1,
      changedAt: '2026-01-31T12:00:00Z',
    } as never,
    { source: '/services/test' },
  );
  expect(withTraceContext(event, 'ledger.funds')).toBe(event);
  expect(activeTraceFields()).toEqual({});
});
