// The local OpenID provider of `npm start` and the web tests: panva's oidc-provider (a certified
// implementation) with the demo people, a plain login form (login + demo password) and
// RP-initiated logout. It stands in for the organisation's identity provider, which production
// configures instead (OIDC_ISSUER_URL …, docs/DEPLOY.md); nothing in the web app knows the
// difference.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { dirname } from 'node:path';
import Provider, { type Configuration, type KoaContextWithOIDC } from 'oidc-provider';
import { DEMO_OFFICES } from './demo-offices';

/** Every demo person signs in with this password (README, banner). */
export const DEMO_PASSWORD = 'bfi-demo';
export const OIDC_CLIENT_ID = 'bfi-web';

export interface DemoPerson {
  login: string;
  name: string;
  email: string;
  role?: 'admin' | 'finance' | 'office-staff';
  officeId?: string;
}

/** admin, finance, staff-<officeId> for each demo office, and visitor (no role). */
export const DEMO_PEOPLE: DemoPerson[] = [
  { login: 'admin', name: 'Alesia Admin (demo)', email: 'admin@bfi.example', role: 'admin' },
  {
    login: 'finance',
    name: 'Fiodar Finance (demo)',
    email: 'finance@bfi.example',
    role: 'finance',
  },
  ...DEMO_OFFICES.map((o) => ({
    login: `staff-${o.id}`,
    name: `Staff of ${o.name} (demo)`,
    email: `staff-${o.id}@bfi.example`,
    role: 'office-staff' as const,
    officeId: o.id,
  })),
  { login: 'visitor', name: 'Vera Visitor (demo, no role)', email: 'visitor@bfi.example' },
];

interface ProviderSecrets {
  clientSecret: string;
  cookieKeys: string[];
  signingKey: Record<string, unknown>;
}

/** Made once per data folder: a restart keeps the client secret and the provider's keys. */
function loadOrCreateSecrets(file: string): ProviderSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as ProviderSecrets;
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const secrets: ProviderSecrets = {
    clientSecret: randomBytes(24).toString('base64url'),
    cookieKeys: [randomBytes(32).toString('base64url')],
    signingKey: {
      ...privateKey.export({ format: 'jwk' }),
      kid: 'demo-1',
      use: 'sig',
      alg: 'RS256',
    },
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets), { mode: 0o600 });
  return secrets;
}

export interface DemoProvider {
  issuer: string;
  /** The web service's settings for this provider. */
  webEnv: Record<string, string>;
  stop(): Promise<void>;
}

export async function startDemoProvider(options: {
  port: number;
  webUrl: string;
  secretsFile: string;
  logger: { warn(fields: object, msg: string): void };
  /** More web instances allowed to use the client (tests with their own web process). */
  extraWebUrls?: string[];
  /** The interface to listen on (default 127.0.0.1; a container: 0.0.0.0). */
  host?: string;
  /** The issuer URL browsers and the web see (default http://127.0.0.1:<port>). */
  issuer?: string;
  /** A fixed client secret instead of the one made for the secrets file (docker-compose.yml). */
  clientSecret?: string;
}): Promise<DemoProvider> {
  const issuer = options.issuer ?? `http://127.0.0.1:${options.port}`;
  const made = loadOrCreateSecrets(options.secretsFile);
  const secrets = { ...made, clientSecret: options.clientSecret ?? made.clientSecret };
  const webUrls = [options.webUrl, ...(options.extraWebUrls ?? [])];
  const provider = new Provider(issuer, providerConfiguration(secrets, webUrls));
  const callback = provider.callback();
  const server = createServer((req, res) => {
    if (req.url?.startsWith('/interaction/')) {
      interaction(provider, req, res).catch((err: unknown) => {
        options.logger.warn({ err: String(err) }, 'demo sign-in failed');
        if (!res.headersSent)
          sendHtml(res, 400, page('Sign-in error', '<p>Please start again from the console.</p>'));
      });
      return;
    }
    callback(req, res);
  });
  await new Promise<void>((done) => server.listen(options.port, options.host ?? '127.0.0.1', done));
  return {
    issuer,
    webEnv: {
      OIDC_ISSUER_URL: issuer,
      OIDC_CLIENT_ID: OIDC_CLIENT_ID,
      OIDC_CLIENT_SECRET: secrets.clientSecret,
      OIDC_REDIRECT_URL: `${options.webUrl}/signin/callback`,
      OIDC_POST_LOGOUT_URL: `${options.webUrl}/signed-out`,
      OIDC_SCOPES: 'openid profile email bfi',
    },
    stop: () =>
      new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      }),
  };
}

const TTL = {
  Session: 8 * 3600,
  Grant: 8 * 3600,
  Interaction: 600,
  AccessToken: 600,
  IdToken: 600,
  AuthorizationCode: 60,
};

function providerConfiguration(secrets: ProviderSecrets, webUrls: string[]): Configuration {
  return {
    clients: [
      {
        client_id: OIDC_CLIENT_ID,
        client_secret: secrets.clientSecret,
        client_name: '#BullyingFreeInternet consoles',
        redirect_uris: webUrls.map((u) => `${u}/signin/callback`),
        post_logout_redirect_uris: webUrls.map((u) => `${u}/signed-out`),
        response_types: ['code'],
        grant_types: ['authorization_code'],
      },
    ],
    claims: {
      openid: ['sub'],
      profile: ['name'],
      email: ['email'],
      bfi: ['bfi_role', 'bfi_office'],
    },
    scopes: ['openid', 'profile', 'email', 'bfi'],
    pkce: { required: () => true },
    cookies: { keys: secrets.cookieKeys },
    jwks: { keys: [secrets.signingKey] },
    findAccount: (_ctx, id) => {
      const person = DEMO_PEOPLE.find((p) => p.login === id);
      if (!person) return undefined;
      return {
        accountId: id,
        claims: () => ({
          sub: id,
          name: person.name,
          email: person.email,
          ...(person.role ? { bfi_role: person.role } : {}),
          ...(person.officeId ? { bfi_office: person.officeId } : {}),
        }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    // The consoles are this organisation's own app: no consent screen, as a corporate IdP does.
    loadExistingGrant: autoGrant,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
    },
    ttl: TTL,
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = page(
        'Sign-in error',
        `<p role="alert">${esc(String(out.error_description ?? out.error))}</p>`,
      );
    },
  };
}

async function autoGrant(ctx: KoaContextWithOIDC) {
  const grantId =
    ctx.oidc.result?.consent?.grantId ?? ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
  if (grantId) return ctx.oidc.provider.Grant.find(grantId);
  const grant = new ctx.oidc.provider.Grant({
    clientId: ctx.oidc.client!.clientId,
    accountId: ctx.oidc.session!.accountId,
  });
  grant.addOIDCScope('openid profile email bfi');
  await grant.save();
  return grant;
}

/** The login form (GET) and its answer (POST): login + the demo password. */
async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse) {
  const details = await provider.interactionDetails(req, res);
  const uid = details.uid;
  if (req.method === 'GET') return sendHtml(res, 200, loginPage(uid, ''));
  const form = new URLSearchParams(await readBody(req));
  const login = (form.get('login') ?? '').trim();
  const person = DEMO_PEOPLE.find((p) => p.login === login);
  if (!person || form.get('password') !== DEMO_PASSWORD) {
    return sendHtml(res, 401, loginPage(uid, 'Unknown login or wrong password.', login));
  }
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: person.login } },
    { mergeWithLastSubmission: false },
  );
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((done, fail) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 10_000) req.destroy(new Error('form too large'));
    });
    req.on('end', () => done(body));
    req.on('error', fail);
  });
}

function loginPage(uid: string, error: string, login = ''): string {
  const people = DEMO_PEOPLE.map((p) => `<li><code>${esc(p.login)}</code> — ${esc(p.name)}</li>`);
  return page(
    'Sign in (demo identity provider)',
    `${error ? `<p role="alert" class="error">${esc(error)}</p>` : ''}
    <form method="post" action="/interaction/${esc(uid)}">
      <p><label for="login">Login</label><br /><input id="login" name="login" autocomplete="username" required value="${esc(login)}" autofocus /></p>
      <p><label for="password">Password</label><br /><input id="password" name="password" type="password" autocomplete="current-password" required /></p>
      <p><button type="submit">Sign in</button></p>
    </form>
    <h2>Demo people (password <code>${DEMO_PASSWORD}</code>)</h2>
    <ul>${people.join('')}</ul>`,
  );
}

async function logoutSource(ctx: KoaContextWithOIDC, form: string) {
  ctx.type = 'html';
  ctx.body = page(
    'Sign out of the identity provider too?',
    `${form}<p>You signed out of the consoles. Also sign out here, so the next sign-in asks for a password?</p>
    <p><button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button>
    <button type="submit" form="op.logoutForm">No, stay signed in</button></p>`,
  );
}

async function postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
  ctx.type = 'html';
  ctx.body = page('Signed out', '<p>You are signed out.</p>');
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8" />
<meta name="viewport" content="width=device-width, initial-scale=1" /><title>${esc(title)}</title>
<style>body{font:17px/1.5 system-ui,sans-serif;max-width:32rem;margin:2rem auto;padding:0 1rem;color:#1b1b1f}
input,button{font:inherit;min-height:44px;padding:.4rem .6rem}button{margin-right:.5rem}.error{color:#a4001f}</style>
</head><body><main><h1>${esc(title)}</h1>${body}</main></body></html>`;
}

function sendHtml(res: ServerResponse, status: number, html: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
  });
  res.end(html);
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
