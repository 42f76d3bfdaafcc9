// Person tokens as a service sees them: the web signs them (ES256), the service takes the role
// and office from a valid one and refuses anything forged, expired, for another service or
// unsigned — and office binding holds for a person exactly as for an API key.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import pino from 'pino';
import request from 'supertest';
import { assertOffice, createServiceApp, principalOf, requireRole } from '../src';

let web: { privateKey: CryptoKey; publicKey: CryptoKey };
let stranger: { privateKey: CryptoKey };
let jwksServer: Server;
let jwksUrl: string;

beforeAll(async () => {
  web = await generateKeyPair('ES256', { extractable: true });
  stranger = await generateKeyPair('ES256');
  const jwk = { ...(await exportJWK(web.publicKey)), kid: 'web-1', alg: 'ES256', use: 'sig' };
  jwksServer = createServer((_req, res) => {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((done) => jwksServer.listen(0, '127.0.0.1', done));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/keys.json`;
});
afterAll(() => new Promise((done) => jwksServer.close(done)));

interface TokenInput {
  key?: CryptoKey;
  aud?: string;
  iss?: string;
  ttl?: string;
  iatOffset?: number;
  claims?: Record<string, unknown>;
  alg?: string;
}

function token(input: TokenInput = {}): Promise<string> {
  const claims = input.claims ?? {
    name: 'Olga (Minsk)',
    role: 'office-staff',
    office_id: 'minsk-1',
  };
  return new SignJWT(claims)
    .setProtectedHeader({ alg: input.alg ?? 'ES256', kid: 'web-1' })
    .setIssuer(input.iss ?? 'web')
    .setAudience(input.aud ?? 'reward')
    .setSubject('olga')
    .setIssuedAt(Math.floor(Date.now() / 1000) + (input.iatOffset ?? 0))
    .setExpirationTime(input.ttl ?? '5m')
    .sign(input.key ?? web.privateKey);
}

async function serviceWith(keyConfig: { publicKey?: string; jwksUrl?: string }) {
  return createServiceApp({
    name: 'reward',
    logger: pino({ level: 'silent' }),
    apiKeys: [],
    personTokens: { audience: 'reward', issuer: 'web', ...keyConfig },
    readiness: {},
    routes: (a) => {
      a.get('/me', (req, res) => res.json(principalOf(req)));
      a.get('/finance', requireRole('finance'), (_req, res) => res.json({ ok: true }));
      a.post('/offices/:officeId/hand-out', requireRole('office-staff'), (req, res) => {
        assertOffice(req, String(req.params.officeId));
        res.json({ ok: true });
      });
    },
  });
}

describe('person tokens (public key as PEM)', () => {
  let app: Awaited<ReturnType<typeof serviceWith>>;
  beforeAll(async () => {
    app = await serviceWith({ publicKey: await exportSPKI(web.publicKey) });
  });
  const as = async (t: string | Promise<string>) => `Bearer ${await t}`;

  test('a valid token gives the person’s role and office', async () => {
    const res = await request(app)
      .get('/me')
      .set('authorization', await as(token()));
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      keyId: 'person:olga',
      name: 'Olga (Minsk)',
      role: 'office-staff',
      officeId: 'minsk-1',
    });
    expect(res.headers['cache-control']).toBe('no-store');
  });

  test('staff of office A with a person token cannot act for office B', async () => {
    const own = await request(app)
      .post('/offices/minsk-1/hand-out')
      .set('authorization', await as(token()));
    expect(own.status).toBe(200);
    const other = await request(app)
      .post('/offices/gomel-1/hand-out')
      .set('authorization', await as(token()));
    expect(other.status).toBe(403);
    expect(other.body.detail).toContain('cannot act for office gomel-1');
  });

  test('the role in the token is enforced (staff is not finance)', async () => {
    const res = await request(app)
      .get('/finance')
      .set('authorization', await as(token()));
    expect(res.status).toBe(403);
  });

  test('a token signed with another key is refused', async () => {
    const res = await request(app)
      .get('/me')
      .set('authorization', await as(token({ key: stranger.privateKey })));
    expect(res.status).toBe(401);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.body.detail).toBe('This person token is not valid.');
  });

  test('an expired token is refused', async () => {
    const res = await request(app)
      .get('/me')
      .set('authorization', await as(token({ ttl: '-10s', iatOffset: -120 })));
    expect(res.status).toBe(401);
    expect(res.body.detail).toContain('expired');
  });

  test('a token living longer than 5 minutes is refused even before it expires', async () => {
    const fresh = await request(app)
      .get('/me')
      .set('authorization', await as(token({ ttl: '1h' })));
    expect(fresh.status).toBe(401);
    expect(fresh.body.detail).toBe('This person token lives longer than 5 minutes.');
    const old = await request(app)
      .get('/me')
      .set('authorization', await as(token({ ttl: '1h', iatOffset: -600 })));
    expect(old.status).toBe(401);
  });

  test('a token for another service is refused', async () => {
    const res = await request(app)
      .get('/me')
      .set('authorization', await as(token({ aud: 'payment' })));
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('This person token is for another service.');
  });

  test('a token from another issuer is refused', async () => {
    const res = await request(app)
      .get('/me')
      .set('authorization', await as(token({ iss: 'someone-else' })));
    expect(res.status).toBe(401);
  });

  test('an unsigned token (alg none) is refused', async () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none' })).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const body = Buffer.from(
      JSON.stringify({
        iss: 'web',
        aud: 'reward',
        sub: 'x',
        name: 'X',
        role: 'admin',
        iat: now,
        exp: now + 60,
      }),
    ).toString('base64url');
    const res = await request(app).get('/me').set('authorization', `Bearer ${header}.${body}.x`);
    expect(res.status).toBe(401);
  });

  test('a token without a valid role is refused', async () => {
    const noOffice = await request(app)
      .get('/me')
      .set('authorization', await as(token({ claims: { name: 'X', role: 'office-staff' } })));
    expect(noOffice.status).toBe(401);
    const madeUp = await request(app)
      .get('/me')
      .set('authorization', await as(token({ claims: { name: 'X', role: 'superuser' } })));
    expect(madeUp.status).toBe(401);
  });
});

describe('person tokens (JWKS URL)', () => {
  test('a token verified through the web’s JWKS passes; a stranger’s does not', async () => {
    const app = await serviceWith({ jwksUrl });
    const ok = await request(app)
      .get('/me')
      .set('authorization', `Bearer ${await token()}`);
    expect(ok.status).toBe(200);
    expect(ok.body.officeId).toBe('minsk-1');
    const forged = await request(app)
      .get('/me')
      .set('authorization', `Bearer ${await token({ key: stranger.privateKey })}`);
    expect(forged.status).toBe(401);
  });
});

describe('without person-token configuration', () => {
  test('a person token is just an unknown API key', async () => {
    const app = createServiceApp({
      name: 'reward',
      logger: pino({ level: 'silent' }),
      apiKeys: [],
      readiness: {},
      routes: (a) => a.get('/me', (req, res) => res.json(principalOf(req))),
    });
    const res = await request(app)
      .get('/me')
      .set('authorization', `Bearer ${await token()}`);
    expect(res.status).toBe(401);
    expect(res.body.detail).toBe('This API key is not valid.');
  });
});
