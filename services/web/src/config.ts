// Every environment variable the web service reads, in one place.
import { SSE_ENV, sseLimitsFromEnv, type SseLimits } from '@bfi/http';
import { envPort, loadConfig } from '@bfi/platform';
import { z } from 'zod';
import { SIGNIN_ENV, signinFromEnv, type SigninConfig } from './signin-config';

const url = z.url().transform((u) => u.replace(/\/$/, ''));

const Env = z.object({
  PORT: envPort(3004),
  /** The APIs, as this server reaches them (cluster-internal in Kubernetes). */
  PAYMENT_URL: url.default('http://127.0.0.1:3001'),
  LEDGER_URL: url.default('http://127.0.0.1:3002'),
  REWARD_URL: url.default('http://127.0.0.1:3003'),
  /**
   * Origins the donate form may hand the browser over to (a form's redirect is bound by CSP
   * form-action): the providers' hosted checkout pages.
   */
  CHECKOUT_ORIGINS: z
    .string()
    .default('https://checkout.stripe.com https://www.paypal.com https://www.sandbox.paypal.com'),
  /** Where the "anonymous free counselling" link goes. */
  COUNSELLING_URL: url.default('https://bullyingfreeinternet.example/help'),
  ...SSE_ENV,
  ...SIGNIN_ENV,
});

export interface WebConfig {
  port: number;
  paymentUrl: string;
  ledgerUrl: string;
  rewardUrl: string;
  checkoutOrigins: string[];
  counsellingUrl: string;
  sse: SseLimits;
  /** People's sign-in (OpenID Connect), sessions and person tokens. */
  signin: SigninConfig;
}

export function loadWebConfig(env: NodeJS.ProcessEnv = process.env): WebConfig {
  const e = loadConfig(Env, env);
  return {
    port: e.PORT,
    paymentUrl: e.PAYMENT_URL,
    ledgerUrl: e.LEDGER_URL,
    rewardUrl: e.REWARD_URL,
    checkoutOrigins: e.CHECKOUT_ORIGINS.split(/\s+/).filter(Boolean),
    counsellingUrl: e.COUNSELLING_URL,
    sse: sseLimitsFromEnv(e),
    signin: signinFromEnv(e),
  };
}
