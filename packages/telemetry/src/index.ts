/**
 * Tracing for every process of the suite. Off unless the standard OpenTelemetry variables
 * configure an exporter (OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_EXPORTER_OTLP_TRACES_ENDPOINT or
 * OTEL_TRACES_EXPORTER); then the Node SDK starts with the http, express, pg, kafkajs and Prisma
 * instrumentations and exports traces as the OTEL_* variables say (OTLP over HTTP by default).
 * When off, nothing of the SDK is even loaded: the code that propagates trace context
 * (@bfi/messaging) talks to @opentelemetry/api's no-op implementation.
 *
 * Call startTelemetry before anything requires express, pg or kafkajs (each service's
 * `src/telemetry.ts`, imported first by its main.ts): instrumentations patch modules as they load.
 */
import type { TelemetryHandle } from './sdk';

let handle: TelemetryHandle | undefined;

/** True when the environment asks for traces to be exported somewhere. */
export function tracingConfigured(env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true') return false;
  const exporters = env.OTEL_TRACES_EXPORTER?.split(',').map((e) => e.trim()) ?? [];
  if (exporters.some((e) => e !== '')) return exporters.some((e) => e !== '' && e !== 'none');
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
}

/**
 * Starts the SDK once if tracing is configured; `serviceName` is used unless OTEL_SERVICE_NAME
 * (or service.name in OTEL_RESOURCE_ATTRIBUTES) names the service. Returns whether it runs.
 */
export function startTelemetry(serviceName: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (handle) return true;
  if (!tracingConfigured(env)) return false;
  // Loaded only here, so a process without tracing never pays for the SDK's modules.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require('./sdk') as typeof import('./sdk');
  handle = sdk.startSdk(serviceName, env);
  return true;
}

/** Flushes the spans still buffered and stops the SDK (last step of a graceful shutdown). */
export async function stopTelemetry(): Promise<void> {
  const running = handle;
  handle = undefined;
  await running?.shutdown();
}

export function telemetryRunning(): boolean {
  return handle !== undefined;
}
