import { NodeSDK } from '@opentelemetry/sdk-node';
import { ExpressInstrumentation } from '@opentelemetry/instrumentation-express';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { KafkaJsInstrumentation } from '@opentelemetry/instrumentation-kafkajs';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { PrismaInstrumentation } from '@prisma/instrumentation';

export interface TelemetryHandle {
  shutdown(): Promise<void>;
}

/** Probes and scrapes, polled all day: a trace each would bury the ones people look for. */
const UNTRACED_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

/**
 * The Node SDK with the suite's instrumentations. Exporter, protocol, endpoint, headers,
 * sampler, batch delays and resource attributes come from the standard OTEL_* variables.
 * This project exports traces only (metrics are prom-client's /metrics, logs go to stdout):
 * metrics and logs exporters stay off unless OTEL_METRICS_EXPORTER / OTEL_LOGS_EXPORTER say so.
 */
export function startSdk(serviceName: string, env: NodeJS.ProcessEnv): TelemetryHandle {
  // The SDK reads these from process.env; default them there (an explicit value wins).
  process.env.OTEL_METRICS_EXPORTER ??= env.OTEL_METRICS_EXPORTER ?? 'none';
  process.env.OTEL_LOGS_EXPORTER ??= env.OTEL_LOGS_EXPORTER ?? 'none';
  const named =
    Boolean(env.OTEL_SERVICE_NAME) ||
    /(^|,)\s*service\.name=/.test(env.OTEL_RESOURCE_ATTRIBUTES ?? '');
  const sdk = new NodeSDK({
    serviceName: named ? undefined : serviceName,
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => UNTRACED_PATHS.has((req.url ?? '').split('?')[0]!),
      }),
      new ExpressInstrumentation(),
      // Only queries inside a traced request or event: the outbox relay's and change feeds'
      // polling would otherwise make a trace of one query several times a second.
      new PgInstrumentation({ requireParentSpan: true }),
      new KafkaJsInstrumentation(),
      new PrismaInstrumentation(),
    ],
  });
  sdk.start();
  return { shutdown: () => sdk.shutdown() };
}
