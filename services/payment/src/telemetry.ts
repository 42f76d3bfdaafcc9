// Imported first by main.ts: the instrumentations patch express, pg and kafkajs as they load, so
// tracing (when OTEL_* configure it; off otherwise) starts before anything else is required.
import { startTelemetry } from '@bfi/telemetry';

startTelemetry('payment');
