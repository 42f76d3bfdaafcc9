// The SMTP server, through nodemailer. One transporter per service; every send opens its own
// connection (a receipt a minute does not need a pool). Failures come back as SmtpFailure with
// the server's reply code when there was one, so the sender can tell a refusal from an outage.
import nodemailer, { type Transporter } from 'nodemailer';
import type { SmtpSettings } from '../mail-config';

export interface OutgoingMail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Stable per donation, so a mail sent again after a crash is recognisably the same one. */
  messageId: string;
  attachment: { filename: string; content: Buffer; contentType: string };
}

export class SmtpFailure extends Error {
  constructor(
    message: string,
    /** The SMTP reply code (e.g. 550) when the server answered; null when it could not be reached. */
    readonly responseCode: number | null,
    /** 'refused' (5xx), 'deferred' (4xx) or 'unreachable' (no answer at all). */
    readonly kind: 'refused' | 'deferred' | 'unreachable',
  ) {
    super(message);
  }
}

export interface MailGateway {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  close(): void;
}

export function smtpGateway(settings: SmtpSettings): MailGateway {
  const timeouts = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };
  const transporter: Transporter = settings.url
    ? nodemailer.createTransport({ url: settings.url, ...timeouts })
    : nodemailer.createTransport({
        host: settings.host,
        port: settings.port,
        secure: settings.secure,
        auth: settings.user ? { user: settings.user, pass: settings.password ?? '' } : undefined,
        ...timeouts,
      });
  return {
    async send(mail) {
      try {
        const info = await transporter.sendMail({
          from: mail.from,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
          html: mail.html,
          messageId: mail.messageId,
          attachments: [mail.attachment],
        });
        return { messageId: String(info.messageId ?? mail.messageId) };
      } catch (err) {
        throw asFailure(err);
      }
    },
    close: () => transporter.close(),
  };
}

function asFailure(err: unknown): SmtpFailure {
  const e = err as { message?: string; responseCode?: number; response?: string; code?: string };
  const code = typeof e.responseCode === 'number' ? e.responseCode : null;
  const text = e.response ?? e.message ?? String(err);
  if (code !== null && code >= 500) return new SmtpFailure(text, code, 'refused');
  if (code !== null && code >= 400) return new SmtpFailure(text, code, 'deferred');
  return new SmtpFailure(
    `${e.code ? `${e.code}: ` : ''}${e.message ?? String(err)}`,
    null,
    'unreachable',
  );
}
