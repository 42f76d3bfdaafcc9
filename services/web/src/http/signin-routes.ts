// Signing people in through the organisation's OpenID provider: authorization code flow with
// PKCE, state and nonce (openid-client), a new server-side session on success, sign-out of the
// session and — when the provider offers it — of the provider too (RP-initiated logout).
import type { Express, Request, Response } from 'express';
import * as oidc from 'openid-client';
import type { Logger } from 'pino';
import type { PeopleTable, SignedInClaims } from '../app/people';
import { personTokenSigner } from '../app/person-api';
import type { Apis } from '../app/api';
import type { SigninConfig } from '../signin-config';
import { signinPages } from '../views/signin';
import { pageContext, sendPage } from './context';
import {
  endSession,
  ensureSession,
  personOfSession,
  sessionOf,
  startSession,
  type Person,
} from './session';

type OidcSettings = NonNullable<SigninConfig['oidc']>;

/** The provider's configuration, read once it is first needed (and again after a failure). */
function providerConfig(settings: OidcSettings): () => Promise<oidc.Configuration> {
  let pending: Promise<oidc.Configuration> | undefined;
  return () => {
    pending ??= oidc
      .discovery(
        new URL(settings.issuer),
        settings.clientId,
        undefined,
        settings.clientSecret ? oidc.ClientSecretBasic(settings.clientSecret) : oidc.None(),
        // The embedded run's provider is plain http on 127.0.0.1; production issuers are https.
        settings.issuer.startsWith('http:') ? { execute: [oidc.allowInsecureRequests] } : undefined,
      )
      .catch((err: unknown) => {
        pending = undefined;
        throw err;
      });
    return pending;
  };
}

/** Only a path on this site (never `//evil.example`): where to go after signing in. */
export function safeNext(value: unknown): string {
  return typeof value === 'string' && /^\/(?![/\\])/.test(value) && value.length < 2000
    ? value
    : '/signin/home';
}

export const HOME_OF: Record<Person['role'], string> = {
  admin: '/admin',
  finance: '/finance',
  'office-staff': '/office',
};

export interface SigninDeps {
  config: SigninConfig;
  counsellingUrl: string;
  people: PeopleTable;
  apis: Apis;
  logger: Logger;
}

export function mountSigninRoutes(app: Express, deps: SigninDeps): void {
  const settings = deps.config.oidc;
  const pages = (req: Request, res: Response) =>
    signinPages(pageContext(req, res, deps.counsellingUrl));
  const configOf = settings ? providerConfig(settings) : undefined;
  const redirectUrl = (req: Request) =>
    settings?.redirectUrl ?? `${req.protocol}://${req.get('host')}/signin/callback`;

  app.get('/signin', async (req, res) => {
    if (!settings || !configOf) return sendPage(res, 503, pages(req, res).notConfigured());
    const next = safeNext(req.query.next);
    let config: oidc.Configuration;
    try {
      config = await configOf();
    } catch (err) {
      deps.logger.warn({ err: String(err) }, 'the OpenID provider cannot be reached');
      return sendPage(res, 503, pages(req, res).providerDown(next));
    }
    const session = ensureSession(req, res);
    const pending = {
      state: oidc.randomState(),
      nonce: oidc.randomNonce(),
      codeVerifier: oidc.randomPKCECodeVerifier(),
      next,
    };
    session.pending = pending;
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: redirectUrl(req),
      scope: settings.scopes,
      state: pending.state,
      nonce: pending.nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(pending.codeVerifier),
      code_challenge_method: 'S256',
      ui_locales: pageContext(req, res, deps.counsellingUrl).locale,
    });
    res.set('cache-control', 'no-store').redirect(302, url.href);
  });

  app.get('/signin/callback', async (req, res) => {
    const session = sessionOf(req);
    const pending = session?.pending;
    if (!settings || !configOf || !session || !pending)
      return sendPage(res, 400, pages(req, res).failed());
    session.pending = undefined; // one use: a replayed callback finds nothing
    let claims: SignedInClaims;
    let idToken: string | undefined;
    try {
      const config = await configOf();
      const current = new URL(req.originalUrl, redirectUrl(req));
      const tokens = await oidc.authorizationCodeGrant(config, current, {
        pkceCodeVerifier: pending.codeVerifier,
        expectedState: pending.state,
        expectedNonce: pending.nonce,
        idTokenExpected: true,
      });
      const idClaims = tokens.claims()!;
      const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
      claims = claimsOf({ ...idClaims, ...info }, settings);
      idToken = tokens.id_token;
    } catch (err) {
      deps.logger.warn({ err: String(err) }, 'a sign-in failed');
      return sendPage(res, 400, pages(req, res).failed(pending.next));
    }
    deps.people.noteSignIn(claims);
    const fresh = startSession(req, res, session);
    fresh.claims = claims;
    fresh.idToken = idToken;
    deps.logger.info({ sub: claims.sub }, 'signed in');
    res.redirect(303, pending.next);
  });

  /** After sign-in without a `next`: the console of the person's role. */
  app.get('/signin/home', (req, res) => {
    const person = personOfSession(req, sessionOf(req));
    if (!person) return res.redirect(302, '/signin');
    if (person === 'no-role') return sendPage(res, 403, pages(req, res).noRole());
    res.redirect(302, HOME_OF[person.role]);
  });

  // POST only, with the CSRF token (csrfGuard): a link or an image must not sign anyone out.
  app.post('/signout', async (req, res) => {
    const session = sessionOf(req);
    const idToken = session?.idToken;
    if (session) endSession(req, res, session);
    const after = settings?.postLogoutUrl ?? `${req.protocol}://${req.get('host')}/signed-out`;
    try {
      const config = configOf && (await configOf());
      if (config?.serverMetadata().end_session_endpoint) {
        const url = oidc.buildEndSessionUrl(config, {
          post_logout_redirect_uri: after,
          ...(idToken ? { id_token_hint: idToken } : {}),
        });
        return res.redirect(303, url.href);
      }
    } catch (err) {
      deps.logger.warn({ err: String(err) }, 'no sign-out at the provider');
    }
    res.redirect(303, '/signed-out');
  });

  app.get('/signed-out', (req, res) => sendPage(res, 200, pages(req, res).signedOut()));

  // The public half of the person-token key: services may verify with PERSON_TOKEN_JWKS_URL.
  app.get('/.well-known/person-keys.json', async (_req, res) => {
    const { key } = deps.apis.personTokenKey();
    if (!key) return res.status(404).json({ keys: [] });
    res.set('cache-control', 'public, max-age=300').json(await personTokenSigner(deps.apis).jwks());
  });
}

function claimsOf(all: Record<string, unknown>, settings: OidcSettings): SignedInClaims {
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 ? v : undefined);
  const sub = str(all.sub)!;
  const email = str(all.email);
  return {
    sub,
    name: (str(all.name) ?? str(all.preferred_username) ?? email ?? sub).slice(0, 200),
    email,
    claimRole: str(all[settings.roleClaim]),
    claimOffice: str(all[settings.officeClaim]),
  };
}
