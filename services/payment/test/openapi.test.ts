// The service's /openapi.json, generated from its route tables: Redocly's recommended rules find
// nothing in it, every endpoint names itself (operationId) and documents its 2xx answer, and the
// files and streams say what they send.
import { redoclyProblems } from '@bfi/testing';
import { openWorld, type World } from './harness';

let w: World;
let doc: { paths: Record<string, Record<string, Operation>> };

type Operation = {
  operationId?: string;
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
};

beforeAll(async () => {
  w = await openWorld();
  doc = (await w.api('GET', '/openapi.json')).body;
});
afterAll(async () => {
  await w?.close();
});

const operation = (path: string, method: string) => doc.paths[path]![method]!;

describe('GET /openapi.json', () => {
  it('passes Redocly lint (recommended rules) with no error or warning', async () => {
    expect(await redoclyProblems(doc)).toEqual([]);
  }, 120_000);

  it('gives every endpoint one unique operationId and a documented 2xx', () => {
    const operations = Object.values(doc.paths).flatMap((methods) => Object.values(methods));
    const ids = operations.map((o) => o.operationId);
    expect(ids).toHaveLength(31);
    expect(new Set(ids).size).toBe(ids.length);
    for (const o of operations)
      expect(Object.keys(o.responses).some((status) => /^2\d\d$/.test(status))).toBe(true);
  });

  it('documents the JSON answers with their schema', () => {
    const created = operation('/donations', 'post').responses['201']!.content!['application/json']!;
    expect(created.schema).toMatchObject({
      type: 'object',
      required: expect.arrayContaining(['id', 'status', 'amount', 'donorSecret']),
    });
    const webhook = operation('/webhooks/stripe', 'post').responses['200']!.content!;
    expect(webhook['application/json']!.schema).toMatchObject({
      required: expect.arrayContaining(['received', 'outcome']),
    });
  });

  it('documents streams and files by their content type', () => {
    const types = (path: string) =>
      Object.keys(operation(path, 'get').responses['200']!.content ?? {});
    expect(types('/donations/{id}/events')).toEqual(['text/event-stream']);
    expect(types('/offices/{id}/events')).toEqual(['text/event-stream']);
    expect(types('/offices/{id}/posters.pdf')).toEqual(['application/pdf']);
    expect(types('/donation-points/{id}/qr.png')).toEqual(['image/png']);
    expect(types('/donation-points/{id}/qr.svg')).toEqual(['image/svg+xml']);
  });
});
