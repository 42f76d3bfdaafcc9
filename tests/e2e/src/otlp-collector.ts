// The test's own trace collector: an OTLP/HTTP receiver (JSON encoding, what the services send
// with OTEL_EXPORTER_OTLP_PROTOCOL=http/json) that keeps every span it is sent. The services'
// real OpenTelemetry SDKs export to it exactly as they would to an OpenTelemetry Collector.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CollectedSpan {
  service: string;
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  startNs: bigint;
  endNs: bigint;
  attributes: Record<string, unknown>;
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  boolValue?: boolean;
  doubleValue?: number;
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano: string | number;
  endTimeUnixNano: string | number;
  attributes?: OtlpKeyValue[];
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { spans?: OtlpSpan[] }[];
  }[];
}

function valueOf(v: OtlpValue | undefined): unknown {
  if (!v) return undefined;
  return v.stringValue ?? v.intValue ?? v.boolValue ?? v.doubleValue;
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  return Object.fromEntries((list ?? []).map((kv) => [kv.key, valueOf(kv.value)]));
}

export class OtlpCollector {
  readonly spans: CollectedSpan[] = [];
  /** Requests that were not a valid OTLP/JSON trace export (the test asserts there are none). */
  readonly rejected: string[] = [];
  private server?: http.Server;
  url = '';

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = this.receive(req, Buffer.concat(chunks).toString('utf8'));
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 200 ? '{}' : '{"message":"expected OTLP/JSON on /v1/traces"}');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  private receive(req: http.IncomingMessage, body: string): number {
    const type = req.headers['content-type'] ?? '';
    if (req.method !== 'POST' || req.url !== '/v1/traces' || !type.includes('application/json')) {
      this.rejected.push(`${req.method} ${req.url} ${type}`);
      return 400;
    }
    let parsed: OtlpExport;
    try {
      parsed = JSON.parse(body) as OtlpExport;
    } catch {
      this.rejected.push(`unparsable body: ${body.slice(0, 80)}`);
      return 400;
    }
    for (const rs of parsed.resourceSpans ?? []) {
      const service = String(attributesOf(rs.resource?.attributes)['service.name'] ?? '?');
      for (const ss of rs.scopeSpans ?? []) {
        for (const s of ss.spans ?? []) {
          this.spans.push({
            service,
            traceId: s.traceId,
            spanId: s.spanId,
            parentSpanId: s.parentSpanId ?? '',
            name: s.name,
            kind: s.kind ?? 0,
            startNs: BigInt(s.startTimeUnixNano),
            endNs: BigInt(s.endTimeUnixNano),
            attributes: attributesOf(s.attributes),
          });
        }
      }
    }
    return 200;
  }

  trace(traceId: string): CollectedSpan[] {
    return this.spans.filter((s) => s.traceId === traceId);
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) =>
      this.server ? this.server.close(() => resolve()) : resolve(),
    );
  }
}

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

/** The spans of one trace as an indented tree: start offset, duration, service, kind, name. */
export function formatTrace(spans: CollectedSpan[]): string {
  const byParent = new Map<string, CollectedSpan[]>();
  const ids = new Set(spans.map((s) => s.spanId));
  for (const s of spans) {
    const parent = ids.has(s.parentSpanId) ? s.parentSpanId : '';
    byParent.set(parent, [...(byParent.get(parent) ?? []), s]);
  }
  for (const list of byParent.values()) list.sort((a, b) => (a.startNs < b.startNs ? -1 : 1));
  const t0 = spans.reduce((min, s) => (s.startNs < min ? s.startNs : min), spans[0]!.startNs);
  const ms = (ns: bigint) => (Number(ns) / 1e6).toFixed(1);
  const lines: string[] = [];
  const walk = (parent: string, depth: number) => {
    for (const s of byParent.get(parent) ?? []) {
      lines.push(
        `${'+' + ms(s.startNs - t0)}ms`.padStart(10) +
          ` ${ms(s.endNs - s.startNs).padStart(7)}ms  ${s.service.padEnd(13)} ` +
          `${(KINDS[s.kind] ?? '?').padEnd(8)} ${'  '.repeat(depth)}${s.name}`,
      );
      walk(s.spanId, depth + 1);
    }
  };
  walk('', 0);
  return lines.join('\n');
}
