import { context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { InProcessTransport, traceStamped } from '../src';
import { eventually, logger, openWorld, succeeded, type World } from './harness';

// Tracing on (an in-memory exporter instead of OTLP): a chunk applied by a batch handler keeps
// each event's trace, as one transaction per event does.
const exporter = new InMemorySpanExporter();
trace.setGlobalTracerProvider(
  new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
);
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
propagation.setGlobalPropagator(new W3CTraceContextPropagator());

let world: World;
beforeEach(async () => {
  world = await openWorld(() => new InProcessTransport({ logger }));
});
afterEach(async () => {
  await world.close();
});

const traceIdOf = (traceparent: string | undefined) => traceparent?.split('-')[1];

test('batch handler: each event gets its process span, and what it causes stays in its trace', async () => {
  const events = Array.from({ length: 20 }, () => succeeded());
  await world.produce(events); // each event in its own trace (enqueue's create span)
  const caused: { source?: string; derived?: string }[] = [];
  await world.consumer({
    batchSize: 50,
    batchHandler: async (batch, tx, inEventSpan) => {
      for (const event of batch) {
        const [derived] = inEventSpan(event, () => traceStamped([succeeded()], world.ns));
        caused.push({ source: event.traceparent, derived: derived!.traceparent });
      }
      await tx.effect.createMany({ data: batch.map((e) => ({ eventId: e.id, key: e.subject })) });
    },
  });
  await world.relay().flush();
  await eventually(async () => expect(await world.effects()).toHaveLength(events.length));
  expect(caused.length).toBeGreaterThan(1); // at least one chunk went through the batch handler
  for (const { source, derived } of caused) {
    expect(traceIdOf(source)).toHaveLength(32);
    expect(traceIdOf(derived)).toBe(traceIdOf(source));
  }
  const processed = exporter
    .getFinishedSpans()
    .filter((s) => s.name === 'process payment.succeeded.v1');
  expect(processed).toHaveLength(events.length);
  expect(new Set(processed.map((s) => s.attributes['bfi.outcome']))).toEqual(
    new Set(['processed']),
  );
});
