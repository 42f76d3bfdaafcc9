import { defineRoute, openApiDocument, type Route } from '@bfi/http';
import { z } from 'zod';
import { redoclyProblems } from '../src/redocly';

const Gift = z.object({ id: z.string(), amount: z.number().int() });

const routes: Route[] = [
  defineRoute({
    operationId: 'createGift',
    method: 'post',
    path: '/gifts',
    summary: 'Create a gift',
    access: 'public',
    headers: z.object({ 'idempotency-key': z.string().min(8) }),
    body: z.object({ amount: z.number().int().positive() }).strict(),
    response: { status: 201, also: { 200: 'Replay' }, description: 'Created', schema: Gift },
    handle: () => ({ id: 'g1', amount: 1 }),
  }),
  defineRoute({
    operationId: 'getGift',
    method: 'get',
    path: '/gifts/:id',
    summary: 'One gift',
    access: ['finance'],
    params: z.object({ id: z.string() }),
    response: { status: 200, description: 'The gift', schema: Gift },
    problems: { 404: 'No such gift' },
    handle: () => ({ id: 'g1', amount: 1 }),
  }),
  defineRoute({
    operationId: 'giftsCsv',
    method: 'get',
    path: '/gifts.csv',
    summary: 'Gifts as CSV',
    access: 'signed-in',
    query: z.object({ from: z.string().optional() }),
    response: { status: 200, raw: true, contentType: 'text/csv', description: 'CSV' },
    handle: () => undefined,
  }),
];

const info = { title: 'Gifts', version: '1.0.0', description: 'A test API' };

describe('redoclyProblems (Redocly CLI 2.77.0, recommended rules)', () => {
  it('passes a document built by the route table', async () => {
    expect(await redoclyProblems(openApiDocument(info, routes))).toEqual([]);
  });

  it('names an operation without operationId and one without a 4xx answer', async () => {
    const doc = openApiDocument(info, routes) as { paths: Record<string, Record<string, object>> };
    doc.paths['/hand-written'] = {
      get: { summary: 'Forgot its id', security: [], responses: { 200: { description: 'OK' } } },
    };
    const problems = await redoclyProblems(doc);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^warn operation-operationId at #\/paths\/~1hand-written\/get/),
        expect.stringMatching(/^warn operation-4xx-response at #\/paths\/~1hand-written\/get/),
      ]),
    );
    expect(problems).toHaveLength(2);
  });

  it('reports a broken document as errors', async () => {
    const problems = await redoclyProblems({ openapi: '3.1.0', paths: {} });
    expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(/^error /)]));
  });
});
