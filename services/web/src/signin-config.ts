// The environment variables of people's sign-in: the organisation's OpenID provider, the
// session's timeouts and cookie, the person-token key and where the people table is kept.
import { z } from 'zod';

const seconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const SIGNIN_ENV = {
  /** The OpenID provider (its /.well-known/openid-configuration is read); unset: no sign-in. */
  OIDC_ISSUER_URL: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).default('bfi-web'),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** This app's callback as registered at the provider, e.g. https://donate.example/signin/callback. */
  OIDC_REDIRECT_URL: z.url().optional(),
  /** Where the provider sends the browser after sign-out (default: this app's home page). */
  OIDC_POST_LOGOUT_URL: z.url().optional(),
  OIDC_SCOPES: z.string().default('openid profile email'),
  /** The claims that carry a person's role and office (when the provider sets them). */
  OIDC_ROLE_CLAIM: z.string().min(1).default('bfi_role'),
  OIDC_OFFICE_CLAIM: z.string().min(1).default('bfi_office'),
  /** Signed out after this long without a request, and this long after signing in at most. */
  SESSION_IDLE_SECONDS: seconds(30 * 60),
  SESSION_ABSOLUTE_SECONDS: seconds(12 * 3600),
  /** Secure cookies: "auto" (when the request came over https), "true" or "false". */
  SESSION_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  /** The web's private key for person tokens: a PKCS#8 PEM or an EC P-256 JWK as JSON. */
  PERSON_TOKEN_PRIVATE_KEY: z.string().optional(),
  PERSON_TOKEN_ISSUER: z.string().min(1).default('web'),
  /** The people table admins edit at /admin/people (JSON file; kept across restarts). */
  PEOPLE_FILE: z.string().min(1).optional(),
};

export interface SigninConfig {
  oidc?: {
    issuer: string;
    clientId: string;
    clientSecret?: string;
    redirectUrl?: string;
    postLogoutUrl?: string;
    scopes: string;
    roleClaim: string;
    officeClaim: string;
  };
  idleSeconds: number;
  absoluteSeconds: number;
  cookieSecure: 'auto' | 'true' | 'false';
  personTokenKey?: string;
  personTokenIssuer: string;
  peopleFile?: string;
}

type SigninEnv = z.output<z.ZodObject<typeof SIGNIN_ENV>>;

export function signinFromEnv(e: SigninEnv): SigninConfig {
  return {
    oidc: e.OIDC_ISSUER_URL
      ? {
          issuer: e.OIDC_ISSUER_URL,
          clientId: e.OIDC_CLIENT_ID,
          clientSecret: e.OIDC_CLIENT_SECRET,
          redirectUrl: e.OIDC_REDIRECT_URL,
          postLogoutUrl: e.OIDC_POST_LOGOUT_URL,
          scopes: e.OIDC_SCOPES,
          roleClaim: e.OIDC_ROLE_CLAIM,
          officeClaim: e.OIDC_OFFICE_CLAIM,
        }
      : undefined,
    idleSeconds: e.SESSION_IDLE_SECONDS,
    absoluteSeconds: e.SESSION_ABSOLUTE_SECONDS,
    cookieSecure: e.SESSION_COOKIE_SECURE,
    personTokenKey: e.PERSON_TOKEN_PRIVATE_KEY,
    personTokenIssuer: e.PERSON_TOKEN_ISSUER,
    peopleFile: e.PEOPLE_FILE,
  };
}
