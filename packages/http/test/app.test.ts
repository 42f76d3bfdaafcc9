import pino from 'pino';
import request from 'supertest';
import { z } from 'zod';
import {
  assertOffice,
  createServiceApp,
  hashApiKey,
  parseApiKeys,
  parseInput,
  requireRole,
} from '../src';

const keys = {
  admin: 'bfi_admin_key',
  finance: 'bfi_finance_key',
  minsk: 'bfi_minsk_staff',
};
const apiKeys = parseApiKeys(
  JSON.stringify([
    { id: 'k1', name: 'Admin', role: 'admin', sha256: hashApiKey(keys.admin) },
    { id: 'k2', name: 'Finance', role: 'finance', sha256: hashApiKey(keys.finance) },
    {
      id: 'k3',
      name: 'Minsk staff',
      role: 'office-staff',
      officeId: 'minsk-1',
      sha256: hashApiKey(keys.minsk),
    },
  ]),
);

let dbUp = true;
const app = createServiceApp({
  name: 'test',
  logger: pino({ level: 'silent' }),
  apiKeys,
  readiness: {
    database: async () => {
      if (!dbUp) throw new Error('connection refused');
    },
  },
  routes: (a) => {
    a.post('/amounts', (req, res) => {
      const body = parseInput(z.object({ amount: z.number().int().positive() }).strict(), req.body);
      res.status(201).json(body);
    });
    a.get('/finance', requireRole('finance'), (_req, res) => {
      res.json({ ok: true });
    });
    a.post('/offices/:officeId/act', requireRole('office-staff'), (req, res) => {
      assertOffice(req, String(req.params.officeId));
      res.json({ ok: true });
    });
    a.get('/boom', () => {
      throw new Error('secret internals');
    });
  },
});

describe('service app skeleton', () => {
  test('validation errors are problem+json naming the field', async () => {
    const res = await request(app).post('/amounts').send({ amount: -5 });
    expect(res.status).toBe(400);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.detail).toMatch(/^Invalid body: amount: /);
    expect(res.body.errors[0].path).toBe('amount');
    expect(res.body.requestId).toBeTruthy();
  });

  test('malformed JSON is a 400 with a readable message', async () => {
    const res = await request(app)
      .post('/amounts')
      .set('content-type', 'application/json')
      .send('{"amount":');
    expect(res.status).toBe(400);
    expect(res.body.detail).toBe('The request body is not valid JSON.');
  });

  test('roles: no key 401, wrong role 403, right role and admin 200, unknown key 401', async () => {
    expect((await request(app).get('/finance')).status).toBe(401);
    expect(
      (await request(app).get('/finance').set('authorization', `Bearer ${keys.minsk}`)).status,
    ).toBe(403);
    expect(
      (await request(app).get('/finance').set('authorization', `Bearer ${keys.finance}`)).status,
    ).toBe(200);
    expect((await request(app).get('/finance').set('x-api-key', keys.admin)).status).toBe(200);
    expect((await request(app).get('/finance').set('authorization', 'Bearer nope')).status).toBe(
      401,
    );
  });

  test('office staff act only for their own office', async () => {
    const own = await request(app)
      .post('/offices/minsk-1/act')
      .set('authorization', `Bearer ${keys.minsk}`);
    expect(own.status).toBe(200);
    const other = await request(app)
      .post('/offices/brest-1/act')
      .set('authorization', `Bearer ${keys.minsk}`);
    expect(other.status).toBe(403);
    expect(other.body.detail).toMatch(/office minsk-1; you cannot act for office brest-1/);
  });

  test('unexpected errors are a 500 that leaks nothing', async () => {
    const res = await request(app).get('/boom');
    expect(res.status).toBe(500);
    expect(JSON.stringify(res.body)).not.toMatch(/secret internals/);
  });

  test('health, readiness and metrics', async () => {
    expect((await request(app).get('/healthz')).body.status).toBe('ok');
    expect((await request(app).get('/readyz')).status).toBe(200);
    dbUp = false;
    const notReady = await request(app).get('/readyz');
    expect(notReady.status).toBe(503);
    expect(notReady.body.checks.database).toBe('connection refused');
    dbUp = true;
    const metrics = await request(app).get('/metrics');
    expect(metrics.text).toMatch(/http_request_duration_seconds_count\{service="test"/);
  });

  test('unknown routes are a problem+json 404', async () => {
    const res = await request(app).get('/nowhere');
    expect(res.status).toBe(404);
    expect(res.body.detail).toBe('There is no GET /nowhere here.');
  });

  test('a bad API_KEYS config is refused plainly', () => {
    expect(() =>
      parseApiKeys(
        '[{"id":"x","name":"x","role":"office-staff","sha256":"' + 'a'.repeat(64) + '"}]',
      ),
    ).toThrow(/office-staff key must name its officeId/);
  });
});

describe('request logs', () => {
  it('keep the path but not the query string (a donor secret rides in ?s=) nor credentials', async () => {
    const lines: string[] = [];
    const logged = createServiceApp({
      name: 'log-test',
      logger: pino({ level: 'info' }, { write: (line: string) => void lines.push(line) }),
      apiKeys,
      readiness: {},
      routes: (a) => a.get('/thanks/:id', (_req, res) => void res.send('ok')),
    });
    await request(logged)
      .get('/thanks/abc?s=s3cret-value-1&lang=be')
      .set('authorization', `Bearer ${keys.admin}`)
      .set('x-donor-secret', 's3cret-value-2')
      .expect(200);
    const log = lines.join('\n');
    expect(log).toContain('/thanks/abc');
    expect(log).not.toContain('s3cret-value');
    expect(log).not.toContain(keys.admin);
  });
});
