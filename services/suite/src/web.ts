// The donor pages (services/web) in the suite: where the other services point donors (QR
// codes, provider return URLs, digital packs) and how the web service is started.
import { closeServer, listen } from '@bfi/http';
import type { Logger } from '@bfi/platform';
import { createWebService, loadWebConfig } from '@bfi/web';

export interface ApiUrls {
  payment: string;
  ledger: string;
  reward: string;
}

/** Payment's settings that send donors to the web pages. */
export function paymentWebEnv(webUrl: string): Record<string, string> {
  return {
    THANK_YOU_URL: `${webUrl}/thanks/{DONATION_ID}?s={DONOR_SECRET}`,
    DONATE_PAGE_URL: `${webUrl}/donate`,
    // Monthly gifts' manage links in receipt e-mails open ${WEB_BASE_URL}/monthly/<token>.
    WEB_BASE_URL: webUrl,
  };
}

/** Reward's setting: a digital pack's download link opens the web's sticker page. */
export function rewardWebEnv(webUrl: string): Record<string, string> {
  return { DIGITAL_PACK_URL: `${webUrl}/stickers?pack={code}` };
}

/** The web service's own settings: the APIs it calls and the checkout pages it hands over to. */
export function webEnv(
  port: number,
  apis: ApiUrls,
  checkoutOrigins: string[],
): Record<string, string> {
  return {
    PORT: String(port),
    PAYMENT_URL: apis.payment,
    LEDGER_URL: apis.ledger,
    REWARD_URL: apis.reward,
    // None given (real providers): the web's default, the providers' hosted checkout origins.
    ...(checkoutOrigins.length
      ? { CHECKOUT_ORIGINS: checkoutOrigins.map((u) => new URL(u).origin).join(' ') }
      : {}),
  };
}

/** In the embedded suite: the web service in this process, like the others. */
export async function startWebInProcess(
  env: Record<string, string>,
  logger: Logger,
): Promise<{ url: string; stop(): Promise<void> }> {
  const config = loadWebConfig(env);
  const service = createWebService({ config, logger: logger.child({ service: 'web' }) });
  const server = await listen(service.app, config.port, '127.0.0.1');
  return { url: `http://127.0.0.1:${config.port}`, stop: () => closeServer(server) };
}
