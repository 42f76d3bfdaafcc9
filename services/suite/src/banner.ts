import { resolve } from 'node:path';
import type { DemoKeys } from './demo-keys';
import { DEMO_PAYPAL_WEBHOOK_ID, DEMO_STRIPE_WEBHOOK_SECRET } from './fakes';
import { DEMO_PASSWORD, DEMO_PEOPLE } from './oidc';

export interface BannerInput {
  mode: string;
  /** Service name → URL, printed in this order (a new service adds one entry). */
  urls: Record<string, string>;
  keys: DemoKeys;
  dataDir: string;
}

/**
 * What a newcomer needs after `npm start`: where everything runs, the demo keys, and a first
 * gift to try. Printed once the services are ready, after their start-up logs, so it is the
 * last thing on the screen.
 */
export function printBanner({ mode, urls, keys, dataDir }: BannerInput): void {
  console.log(
    [
      '',
      '#BullyingFreeInternet donation suite is running — ' + mode,
      '',
      ...(urls.web ? [`  Open the donor pages: ${urls.web}`, ''] : []),
      ...Object.entries(urls).map(([name, url]) => `  ${name.padEnd(14)} ${url}`),
      '',
      ...keyLines(keys, dataDir),
      ...signinLines(urls),
      ...fakeProviderLines(urls, dataDir),
      ...mailLines(urls, dataDir),
      ...firstGiftLines(urls, keys),
      '',
      'Child helpline (Belarus, free): 8 800 100 16 11',
      'Ctrl+C stops everything; data survives a restart.',
    ].join('\n'),
  );
}

/** The demo API keys and where they are kept (the next start reuses them). */
function keyLines(keys: DemoKeys, dataDir: string): string[] {
  return [
    `Demo API keys (kept in ${resolve(dataDir, 'demo-keys.json')}):`,
    `  admin    ${keys.admin}`,
    `  finance  ${keys.finance}`,
    ...Object.entries(keys.staff).map(([o, k]) => `  staff of ${o}: ${k}`),
    '',
  ];
}

/** The consoles and who to sign in as, when the demo identity provider runs. */
function signinLines(urls: Record<string, string>): string[] {
  if (!urls['sign-in (OIDC)']) return [];
  return [
    `Consoles: ${urls.web}/office, ${urls.web}/finance, ${urls.web}/admin — sign in at the demo`,
    `identity provider as one of these people, password ${DEMO_PASSWORD}:`,
    ...DEMO_PEOPLE.map(
      (p) =>
        `  ${p.login.padEnd(34)} ${p.role ?? 'no role'}${p.officeId ? ` of ${p.officeId}` : ''}`,
    ),
    '',
  ];
}

/** How the fake providers sign their webhooks, when they stand in for Stripe and PayPal. */
function fakeProviderLines(urls: Record<string, string>, dataDir: string): string[] {
  if (!urls['fake Stripe']) return [];
  return [
    `Fake providers (state in ${resolve(dataDir, 'fakes')}): webhooks signed with Stripe secret`,
    `  ${DEMO_STRIPE_WEBHOOK_SECRET}, PayPal webhook id ${DEMO_PAYPAL_WEBHOOK_ID}; ports FAKE_STRIPE_PORT, FAKE_PAYPAL_PORT.`,
    '',
  ];
}

/** Where the receipt e-mails go, when the local mail catcher takes them. */
function mailLines(urls: Record<string, string>, dataDir: string): string[] {
  if (!urls['mail inbox']) return [];
  return [
    `Receipt e-mails (a gift with an e-mail) land in the local inbox: ${urls['mail inbox']}`,
    `  (SMTP on FAKE_SMTP_PORT, kept in ${resolve(dataDir, 'mail')}; set SMTP_URL to send for real).`,
    '',
  ];
}

/** A first gift to try with curl, and where to see it arrive in the ledger and the rewards. */
function firstGiftLines(urls: Record<string, string>, keys: DemoKeys): string[] {
  const payment = urls.payment;
  const ledger = urls['pledge-ledger'];
  const office = Object.keys(keys.staff)[0]!;
  const finance = `-H 'authorization: Bearer ${keys.finance}'`;
  return [
    'Amounts are integer minor units: "amount":2500 is 25.00 BYN.',
    'Try:',
    `  curl -s -X POST ${payment}/donations -H 'content-type: application/json' -H "Idempotency-Key: $(uuidgen || date +%s%N)" \\`,
    `       -d '{"amount":2500,"currency":"BYN","provider":"stripe","donorName":"Anna"}'`,
    `     → in another terminal watch it live: curl -sN ${payment}/donations/<id>/events`,
    '     → open the redirectUrl it returns and press Pay (fake Stripe), then:',
    `  curl -s ${payment}/donations/<id>`,
    `  curl -s ${ledger}/campaign/totals`,
    `  curl -s ${ledger}/funds/specialist-training/totals ${finance}`,
    `  curl -s ${urls.reward}/rewards/by-donation/<id> -H 'x-donor-secret: <donorSecret of the POST answer>'`,
    `  curl -s ${urls.reward}/offices/${office}/stock -H 'authorization: Bearer ${keys.staff[office]}'`,
    'Reconcile (finance): import the provider statement, then run:',
    `  curl -s -X POST ${ledger}/statements/import ${finance} -H 'content-type: application/json' -d '{"provider":"stripe","from":"2020-01-01","to":"2100-01-01"}'`,
    `  curl -s -X POST ${ledger}/reconciliation/runs ${finance} -H 'content-type: application/json' -d '{"from":"2020-01-01","to":"2100-01-01"}'`,
  ];
}
