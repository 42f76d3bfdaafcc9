// The receipt e-mail settings (part of payment's configuration). The SMTP server is either one
// URL (SMTP_URL=smtp://user:pass@host:587, smtps://… for implicit TLS) or the separate
// SMTP_HOST / SMTP_PORT / SMTP_USER / SMTP_PASSWORD / SMTP_SECURE variables. Without either,
// receipt mails are still queued (status pending, visible on GET /receipt-mails) and go out once
// a server is configured.
import { z } from 'zod';

const ms = (fallback: number, max: number) =>
  z.coerce.number().int().min(1).max(max).default(fallback);

export const MAIL_ENV = {
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\//, { error: 'must be an smtp:// or smtps:// URL' })
    .optional(),
  SMTP_HOST: z.string().min(1).optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_USER: z.string().min(1).optional(),
  SMTP_PASSWORD: z.string().min(1).optional(),
  /** true = implicit TLS (port 465); false = plain, upgraded with STARTTLS when offered. */
  SMTP_SECURE: z.enum(['true', 'false']).optional(),
  MAIL_FROM: z
    .string()
    .min(3)
    .default('#BullyingFreeInternet <receipts@bullyingfreeinternet.example>'),
  /** Where the "anonymous free counselling" link in the e-mail and the PDF goes. */
  COUNSELLING_URL: z.url().default('https://bullyingfreeinternet.example/help'),
  /** First retry after this long; each further one waits twice as long, up to MAIL_RETRY_MAX_MS. */
  MAIL_RETRY_BASE_MS: ms(30_000, 86_400_000),
  MAIL_RETRY_MAX_MS: ms(3_600_000, 86_400_000),
  /** Tries before a mail is marked failed (it stays listed and can be retried by hand). */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(1000).default(12),
  /** How often the sender looks for due mails (it is also woken when a donation succeeds). */
  MAIL_POLL_MS: ms(5_000, 3_600_000),
};

export interface SmtpSettings {
  /** smtp(s)://[user[:password]@]host[:port] — only ever logged through `smtpTarget`. */
  url?: string;
  host?: string;
  port?: number;
  user?: string;
  password?: string;
  secure?: boolean;
}

export interface MailConfig {
  smtp: SmtpSettings | null;
  from: string;
  counsellingUrl: string;
  retryBaseMs: number;
  retryMaxMs: number;
  maxAttempts: number;
  pollMs: number;
}

type MailEnv = z.infer<z.ZodObject<typeof MAIL_ENV>>;

export function mailConfigFromEnv(e: MailEnv): MailConfig {
  const smtp: SmtpSettings | null = e.SMTP_URL
    ? { url: e.SMTP_URL }
    : e.SMTP_HOST
      ? {
          host: e.SMTP_HOST,
          port: e.SMTP_PORT,
          user: e.SMTP_USER,
          password: e.SMTP_PASSWORD,
          secure: e.SMTP_SECURE === undefined ? undefined : e.SMTP_SECURE === 'true',
        }
      : null;
  return {
    smtp,
    from: e.MAIL_FROM,
    counsellingUrl: e.COUNSELLING_URL.replace(/\/$/, ''),
    retryBaseMs: e.MAIL_RETRY_BASE_MS,
    retryMaxMs: Math.max(e.MAIL_RETRY_MAX_MS, e.MAIL_RETRY_BASE_MS),
    maxAttempts: e.MAIL_MAX_ATTEMPTS,
    pollMs: e.MAIL_POLL_MS,
  };
}

/** host:port of the server, for logs and the banner: never the user or password. */
export function smtpTarget(smtp: SmtpSettings): string {
  if (smtp.url) {
    const u = new URL(smtp.url);
    return `${u.protocol}//${u.hostname}${u.port ? `:${u.port}` : ''}`;
  }
  return `${smtp.secure ? 'smtps' : 'smtp'}://${smtp.host}${smtp.port ? `:${smtp.port}` : ''}`;
}
