import { join } from 'node:path';
import { MailCatcher, mailInbox } from '@bfi/provider-fakes';

/** The SMTP settings payment reads, when the person running the suite gave some. */
const SMTP_KEYS = [
  'SMTP_URL',
  'SMTP_HOST',
  'SMTP_PORT',
  'SMTP_USER',
  'SMTP_PASSWORD',
  'SMTP_SECURE',
];

export interface LocalMail {
  /** The inbox page (list, text, attachments) of everything the suite sent. */
  inboxUrl: string;
  /** Payment's SMTP settings: the local catcher. */
  paymentEnv: Record<string, string>;
  stop(): Promise<void>;
}

/** The SMTP variables of `env` to hand on to payment (a configured real server). */
export function smtpEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  return Object.fromEntries(SMTP_KEYS.filter((k) => env[k] !== undefined).map((k) => [k, env[k]!]));
}

/**
 * Unless an SMTP server is configured (SMTP_URL or SMTP_HOST), a local one catches the receipt
 * e-mails, with a web inbox to read them: SMTP on FAKE_SMTP_PORT (12125), the inbox on
 * MAIL_INBOX_PORT (12180). The mails are kept as .eml files in `dir`, so they survive a restart.
 */
export async function startLocalMail(
  env: NodeJS.ProcessEnv,
  dir: string,
): Promise<LocalMail | null> {
  if (env.SMTP_URL || env.SMTP_HOST) return null;
  const catcher = new MailCatcher({ dir: join(dir) });
  const smtpPort = await catcher.start(Number(env.FAKE_SMTP_PORT ?? 12125));
  const inbox = mailInbox(catcher);
  try {
    await inbox.start(Number(env.MAIL_INBOX_PORT ?? 12180));
  } catch (err) {
    await catcher.stop();
    throw err;
  }
  return {
    inboxUrl: inbox.url,
    paymentEnv: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(smtpPort) },
    async stop() {
      await inbox.stop();
      await catcher.stop();
    },
  };
}
