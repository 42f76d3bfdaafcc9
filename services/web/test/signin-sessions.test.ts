// Sessions end on their own (idle and absolute timeouts, short here: a second web process of
// the suite started with SESSION_IDLE_SECONDS=4 and SESSION_ABSOLUTE_SECONDS=8), and the
// services themselves hold office binding for people: staff of office B with a person token
// signed by the web cannot act for office A.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { PersonTokenSigner } from '../src/app/person-token';
import { api, phone, useBrowser } from './support/browser';
import { signIn } from './support/signin';

const env = useBrowser();
const ROOT = resolve(__dirname, '..', '..', '..');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('session timeouts', () => {
  let web: ChildProcess;
  let url: string;
  beforeAll(async () => {
    const s = env.s;
    url = `http://127.0.0.1:${s.spareWebPort}`;
    const oidc = JSON.parse(readFileSync(join(s.dataDir, 'oidc-provider.json'), 'utf8')) as {
      clientSecret: string;
    };
    const key = JSON.parse(readFileSync(join(s.dataDir, 'person-token-key.json'), 'utf8')) as {
      privateKey: string;
    };
    web = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'services/web/src/main.ts')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
      env: {
        ...process.env,
        PORT: String(s.spareWebPort),
        PAYMENT_URL: s.urls.payment,
        LEDGER_URL: s.urls.ledger,
        REWARD_URL: s.urls.reward,
        OIDC_ISSUER_URL: s.urls.oidc,
        OIDC_CLIENT_ID: 'bfi-web',
        OIDC_CLIENT_SECRET: oidc.clientSecret,
        OIDC_REDIRECT_URL: `${url}/signin/callback`,
        OIDC_POST_LOGOUT_URL: `${url}/signed-out`,
        OIDC_SCOPES: 'openid profile email bfi',
        PERSON_TOKEN_PRIVATE_KEY: key.privateKey,
        SESSION_IDLE_SECONDS: '4',
        SESSION_ABSOLUTE_SECONDS: '8',
        LOG_LEVEL: 'warn',
      },
    });
    for (let i = 0; i < 120; i++) {
      const up = await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      );
      if (up) return;
      await sleep(500);
    }
    throw new Error('the short-session web did not start');
  });
  afterAll(() => {
    web?.kill('SIGTERM');
  });

  test('a session left idle past SESSION_IDLE_SECONDS is over', async () => {
    const page = await phone(env.browser);
    await signIn(page, 'admin', '/admin?lang=en', url);
    expect(`${new URL(page.url()).pathname} ${await page.locator('main').textContent()}`).toMatch(
      /^\/admin /,
    );
    const cookie = await cookieHeader(page);
    await sleep(5500);
    // Sent to sign in again.
    const res = await fetch(`${url}/admin`, {
      headers: { cookie, accept: 'text/html' },
      redirect: 'manual',
    });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/signin?next=%2Fadmin');
    await page.context().close();
  });

  test('a busy session still ends SESSION_ABSOLUTE_SECONDS after sign-in', async () => {
    const page = await phone(env.browser);
    await signIn(page, 'admin', '/admin?lang=en', url);
    const cookie = await cookieHeader(page);
    const status = () =>
      fetch(`${url}/admin`, { headers: { cookie, accept: 'text/html' }, redirect: 'manual' }).then(
        (r) => r.status,
      );
    expect(await status()).toBe(200);
    // A click every 1.5 s (never idle for 4 s) until past the 8 s limit.
    for (let i = 0; i < 7; i++) {
      await sleep(1500);
      if (i < 2) expect(await status()).toBe(200);
      else await status();
    }
    expect(await status()).toBe(302);
    await page.context().close();
  });
});

async function cookieHeader(page: import('playwright-core').Page): Promise<string> {
  const cookies = await page.context().cookies();
  return cookies.map((c) => `${c.name}=${c.value}`).join('; ');
}

describe('the services hold office binding for people', () => {
  test('staff of office B with a person token cannot act for office A', async () => {
    const key = JSON.parse(readFileSync(join(env.s.dataDir, 'person-token-key.json'), 'utf8')) as {
      privateKey: string;
    };
    const signer = new PersonTokenSigner(key.privateKey, 'web');
    const gomel = {
      sub: 'staff-gomel-sovetskaya-21',
      name: 'Staff of Gomel',
      role: 'office-staff' as const,
      officeId: 'gomel-sovetskaya-21',
    };
    const token = await signer.sign(gomel, 'reward');
    const own = await api(env.s.urls.reward, '/offices/gomel-sovetskaya-21/stock', { key: token });
    expect(own.status).toBe(200);
    const other = await api(env.s.urls.reward, '/offices/minsk-nezavisimosti-10/stock', {
      key: token,
    });
    expect(other.status).toBe(403);
    expect(other.body.detail).toContain('cannot act for office minsk-nezavisimosti-10');
    // A token for reward is worthless at payment (audience per service).
    const elsewhere = await api(env.s.urls.payment, '/offices', { key: token });
    expect(elsewhere.status).toBe(401);
  });
});
