import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { createLogger } from '@bfi/messaging';
import { createServiceApp, hashApiKey, listen, parseApiKeys, requireRole } from '../src';

// A real server on a real port, logging through the suite's one logger factory into a stream
// this test reads: what reaches the log is exactly what an operator would see.

const keys = { admin: 'bfi_admin_SECRET_4f1c2e', staff: 'bfi_staff_SECRET_9a7b3d' };
const donorSecret = 'donorSECRETp9Qx2vL7mK4tR8wZ1yN3bC5';
const cookie = 'session=COOKIESECRET77';
const setCookie = 'sid=SETCOOKIESECRET55; HttpOnly';
const stripeSig = 't=1700000000,v1=STRIPESIGSECRETabcdef';

let logged = '';
const capture = new Writable({
  write(chunk: Buffer, _enc, done) {
    logged += chunk.toString('utf8');
    done();
  },
});

let server: Server;
let base: string;

beforeAll(async () => {
  process.env.LOG_LEVEL = 'info';
  const logger = createLogger('log-safety', capture);
  const app = createServiceApp({
    name: 'log-safety',
    logger,
    apiKeys: parseApiKeys(
      JSON.stringify([
        { id: 'a', name: 'Admin', role: 'admin', sha256: hashApiKey(keys.admin) },
        {
          id: 's',
          name: 'Staff',
          role: 'office-staff',
          officeId: 'minsk-1',
          sha256: hashApiKey(keys.staff),
        },
      ]),
    ),
    readiness: {},
    routes: (a) => {
      a.get('/finance', requireRole('finance'), (_req, res) => {
        res.json({ total: 1 });
      });
      a.get('/login', (_req, res) => {
        res.set('set-cookie', setCookie).json({ ok: true });
      });
      a.get('/public', (_req, res) => {
        res.json({ ok: true });
      });
      a.get('/subscriptions/manage/:token', (_req, res) => {
        res.json({ ok: true });
      });
      a.get('/fail', () => {
        throw new Error('boom');
      });
    },
  });
  server = await listen(app, 0, '127.0.0.1');
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('request logs', () => {
  it('never contain an API key, cookie, donor secret or webhook signature sent or set', async () => {
    await fetch(`${base}/finance`, { headers: { authorization: `Bearer ${keys.admin}` } });
    await fetch(`${base}/finance`, { headers: { 'x-api-key': keys.staff } });
    await fetch(`${base}/fail`, { headers: { authorization: `Bearer ${keys.staff}` } });
    await fetch(`${base}/login`, { headers: { cookie } });
    await fetch(`${base}/public?s=${donorSecret}`, { headers: { 'x-donor-secret': donorSecret } });
    await fetch(`${base}/public`, { headers: { 'stripe-signature': stripeSig } });
    await new Promise((r) => setTimeout(r, 50)); // let pino flush the last lines
    const lines = logged.trim().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(6);
    // The lines are there (the requests were logged), but with the values redacted.
    expect(logged).toContain('/finance');
    expect(logged).toContain('[redacted]');
    for (const secret of [
      keys.admin,
      keys.staff,
      'COOKIESECRET77',
      'SETCOOKIESECRET55',
      donorSecret,
      'STRIPESIGSECRETabcdef',
    ]) {
      expect(logged).not.toContain(secret);
    }
  });

  it('redacts secret headers whatever code logs them through the logger factory', () => {
    logged = '';
    const logger = createLogger('direct', capture);
    logger.warn({ req: { headers: { authorization: `Bearer ${keys.admin}` } } }, 'x');
    logger.warn({ headers: { 'x-api-key': keys.staff } }, 'y');
    expect(logged).toContain('"y"');
    expect(logged).not.toContain(keys.admin);
    expect(logged).not.toContain(keys.staff);
  });
});

describe('manage links', () => {
  it('the token in a monthly gift manage path never reaches the log', async () => {
    logged = '';
    const token = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJNQU5BR0VTRUNSRVQifQ.SIGNATUREmanageSECRET';
    await fetch(`${base}/subscriptions/manage/${token}`);
    await fetch(`${base}/subscriptions/manage/${token}/cancel?x=1`, { method: 'POST' });
    await new Promise((r) => setTimeout(r, 50));
    expect(logged).toContain('/subscriptions/manage/[token]');
    expect(logged).toContain('/subscriptions/manage/[token]/cancel');
    expect(logged).not.toContain('SIGNATUREmanageSECRET');
    expect(logged).not.toContain('eyJzdWIiOiJNQU5BR0VTRUNSRVQifQ');
  });
});

describe('request ids', () => {
  it('echoes a short safe X-Request-Id into the answer and the log', async () => {
    logged = '';
    const res = await fetch(`${base}/public`, { headers: { 'x-request-id': 'abc-123.X_y' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123.X_y');
    await new Promise((r) => setTimeout(r, 20));
    expect(logged).toContain('"id":"abc-123.X_y"');
  });

  it('replaces a 4 KB or unsafe X-Request-Id with one of its own, in the answer and the log', async () => {
    logged = '';
    const huge = 'A'.repeat(4096);
    for (const sent of [huge, 'x'.repeat(65), 'a"b', 'a b', 'a/b']) {
      const res = await fetch(`${base}/public`, { headers: { 'x-request-id': sent } });
      const id = res.headers.get('x-request-id');
      expect(id).not.toBe(sent);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
    }
    await new Promise((r) => setTimeout(r, 20));
    expect(logged).not.toContain('A'.repeat(65));
    expect(logged).not.toContain('x'.repeat(65));
  });
});

describe('caching', () => {
  it('every answer to a request with an API key is Cache-Control: no-store', async () => {
    const ok = await fetch(`${base}/finance`, {
      headers: { authorization: `Bearer ${keys.admin}` },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const refused = await fetch(`${base}/finance`, { headers: { 'x-api-key': keys.staff } });
    expect(refused.status).toBe(403);
    expect(refused.headers.get('cache-control')).toBe('no-store');
    const badKey = await fetch(`${base}/finance`, { headers: { authorization: 'Bearer nope' } });
    expect(badKey.status).toBe(401);
    expect(badKey.headers.get('cache-control')).toBe('no-store');
  });
});
