// With no OpenTelemetry SDK started (the default), the trace plumbing leaves events and log
// lines exactly as they were: nothing is added to what the outbox stores or a log line holds.
import { createEvent } from '@bfi/events';
import { createLogger } from '../src';
import { activeTraceFields, withTraceContext } from '../src/tracing';
import { Writable } from 'node:stream';

const DONATION = '6f1c2b7e-3c1a-4d4e-9f43-0b8f2a1d5e77';

test('tracing off: an event is stored without trace attributes, log lines without trace ids', () => {
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
  const lines: string[] = [];
  const logger = createLogger(
    'test',
    new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  );
  logger.warn({ err: new Error('x'), donationId: DONATION }, 'a line');
  const line = JSON.parse(lines[0]!) as Record<string, unknown>;
  expect(line).toMatchObject({ msg: 'a line', donationId: DONATION });
  expect(line).not.toHaveProperty('trace_id');
});
