import { startTelemetry, telemetryRunning, tracingConfigured } from '../src';

describe('tracingConfigured: off unless the standard OTEL_* variables name an exporter', () => {
  it.each<[string, NodeJS.ProcessEnv, boolean]>([
    ['nothing set', {}, false],
    ['an OTLP endpoint', { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    ['a traces endpoint', { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces' }, true],
    ['an empty endpoint (the k8s base)', { OTEL_EXPORTER_OTLP_ENDPOINT: '' }, false],
    ['OTEL_TRACES_EXPORTER=console', { OTEL_TRACES_EXPORTER: 'console' }, true],
    [
      'OTEL_TRACES_EXPORTER=none beats an endpoint',
      { OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      false,
    ],
    [
      'OTEL_SDK_DISABLED=true beats everything',
      { OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://c:4318' },
      false,
    ],
  ])('%s', (_label, env, expected) => {
    expect(tracingConfigured(env)).toBe(expected);
  });

  it('starts nothing when not configured', () => {
    expect(startTelemetry('test', {})).toBe(false);
    expect(telemetryRunning()).toBe(false);
  });
});
