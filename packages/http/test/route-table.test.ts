import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import {
  createServiceApp,
  defineRoute,
  hashApiKey,
  mountRouteTable,
  notFound,
  openApiDocument,
  parseApiKeys,
  reply,
  type Route,
} from '../src';

const apiKeys = parseApiKeys(
  JSON.stringify([
    { id: 'k1', name: 'Finance', role: 'finance', sha256: hashApiKey('bfi_finance_key') },
  ]),
);

const Gift = z.object({ id: z.string(), amount: z.number().int() });
const gifts = new Map<string, z.infer<typeof Gift>>();

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
    handle: ({ body, headers }) => {
      const known = gifts.get(headers['idempotency-key']);
      if (known) return reply(known, { status: 200 });
      const gift = { id: `g${gifts.size + 1}`, amount: body.amount };
      gifts.set(headers['idempotency-key'], gift);
      return reply(gift, { headers: { location: `/gifts/${gift.id}` } });
    },
  }),
  defineRoute({
    operationId: 'getGift',
    method: 'get',
    path: '/gifts/:id',
    summary: 'One gift',
    access: ['finance'],
    params: z.object({ id: z.string().regex(/^g\d+$/, 'a gift id looks like g1') }),
    response: { status: 200, description: 'The gift', schema: Gift },
    problems: { 404: 'No such gift' },
    handle: ({ params }) => {
      const gift = [...gifts.values()].find((g) => g.id === params.id);
      if (!gift) throw notFound(`There is no gift ${params.id}.`);
      return gift;
    },
  }),
  defineRoute({
    operationId: 'brokenGift',
    method: 'get',
    path: '/broken',
    summary: 'Answers outside its schema',
    access: 'public',
    response: { status: 200, description: 'The gift', schema: Gift },
    handle: () => ({ id: 1 }),
  }),
  defineRoute({
    operationId: 'giftsCsv',
    method: 'get',
    path: '/gifts.csv',
    summary: 'Gifts as CSV',
    access: 'public',
    response: { status: 200, raw: true, contentType: 'text/csv', description: 'CSV' },
    handle: ({ res }) => {
      res.type('text/csv').send('id,amount\n');
    },
  }),
];

const app = createServiceApp({
  name: 'route-table-test',
  logger: pino({ level: 'silent' }),
  apiKeys,
  readiness: {},
  routes: (a) => mountRouteTable(a, routes, { checkResponses: true }),
});

describe('a route table', () => {
  it('validates input before the handler and answers 400 naming the field', async () => {
    const res = await request(app)
      .post('/gifts')
      .set('idempotency-key', 'key-00001')
      .send({ amount: -5 });
    expect(res.status).toBe(400);
    expect(res.body.errors[0].path).toBe('amount');
    expect(gifts.size).toBe(0);
  });

  it('answers the documented status, and the alternative one on a replay', async () => {
    const first = await request(app)
      .post('/gifts')
      .set('idempotency-key', 'key-00002')
      .send({ amount: 500 });
    expect(first.status).toBe(201);
    expect(first.headers.location).toBe(`/gifts/${first.body.id}`);
    const again = await request(app)
      .post('/gifts')
      .set('idempotency-key', 'key-00002')
      .send({ amount: 500 });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('enforces the role, then the params, then the handler', async () => {
    expect((await request(app).get('/gifts/g1')).status).toBe(401);
    const auth = { authorization: 'Bearer bfi_finance_key' };
    expect((await request(app).get('/gifts/x').set(auth)).body.detail).toContain(
      'a gift id looks like g1',
    );
    expect((await request(app).get('/gifts/g99').set(auth)).status).toBe(404);
    expect((await request(app).get('/gifts/g1').set(auth)).body.amount).toBe(500);
  });

  it('refuses to send an answer that breaks its documented schema', async () => {
    const res = await request(app).get('/broken');
    expect(res.status).toBe(500);
  });

  it('lets raw routes write their own answer', async () => {
    const res = await request(app).get('/gifts.csv');
    expect(res.headers['content-type']).toContain('text/csv');
    expect(res.text).toBe('id,amount\n');
  });

  it('documents every route with its operationId, parameters, body and 2xx schema', () => {
    const doc = openApiDocument({ title: 't', version: '1', description: 'd' }, routes) as {
      paths: Record<string, Record<string, Record<string, unknown>>>;
    };
    const create = doc.paths['/gifts']!.post!;
    expect(create.operationId).toBe('createGift');
    expect(create.security).toEqual([]);
    expect(create.parameters).toEqual([
      expect.objectContaining({ name: 'idempotency-key', in: 'header', required: true }),
    ]);
    expect(Object.keys(create.responses as object).sort()).toEqual(['200', '201', '400']);
    const get = doc.paths['/gifts/{id}']!.get!;
    expect(get.security).toEqual([{ bearer: [] }]);
    expect(Object.keys(get.responses as object).sort()).toEqual([
      '200',
      '400',
      '401',
      '403',
      '404',
    ]);
    const ok = (get.responses as Record<string, { content: Record<string, { schema: unknown }> }>)[
      '200'
    ]!;
    expect(ok.content['application/json']!.schema).toMatchObject({
      type: 'object',
      required: ['id', 'amount'],
    });
    expect(() =>
      openApiDocument({ title: 't', version: '1', description: 'd' }, [routes[0]!, routes[0]!]),
    ).toThrow(/duplicate operationId/);
  });
});
