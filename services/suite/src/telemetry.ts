// Imported first by start.ts: in the embedded run the three services share this process, so the
// instrumentations must patch express, pg and kafkajs before any of them loads. Off unless OTEL_*
// configure an exporter; spans of all three services then carry service.name "bfi-suite" and
// the service in their messaging attributes (consumer group, topic).
import { startTelemetry } from '@bfi/telemetry';

startTelemetry('bfi-suite');
