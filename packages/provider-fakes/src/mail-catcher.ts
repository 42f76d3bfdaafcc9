// A local SMTP server that keeps every mail it accepts (smtp-server: a real SMTP implementation,
// so nodemailer talks to it over TCP exactly as to a real server), parsed with mailparser. Used by
// `npm start` (with the inbox page, mail-inbox.ts) and by tests, which can make it refuse
// recipients (5xx on RCPT TO) to see the sender retry. Mails are kept as .eml files in `dir`
// (written atomically), so the inbox survives a restart.
import { mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

export interface CaughtAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface CaughtMail {
  id: string;
  receivedAt: string;
  /** The SMTP envelope: who the client said the mail is from and for. */
  envelope: { from: string; to: string[] };
  messageId: string | null;
  subject: string;
  text: string;
  html: string | null;
  attachments: CaughtAttachment[];
}

export interface MailCatcherOptions {
  /** Folder of the .eml files; none = in memory only (tests). */
  dir?: string;
}

export class MailCatcher {
  private server: SMTPServer | null = null;
  private readonly mails: CaughtMail[] = [];
  private refusal: { code: number; message: string } | null = null;
  private seq = 0;
  port = 0;

  constructor(private readonly options: MailCatcherOptions = {}) {}

  /** Loads kept mails, then listens on 127.0.0.1:`port` (0 = a free one). Returns the port. */
  async start(port = 0): Promise<number> {
    if (this.options.dir && this.mails.length === 0) await this.load(this.options.dir);
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      size: 25 * 1024 * 1024,
      onAuth: (_auth, _session, callback) => callback(null, { user: 'local' }),
      onRcptTo: (_address, _session, callback) => {
        if (!this.refusal) return callback();
        const err = Object.assign(new Error(this.refusal.message), {
          responseCode: this.refusal.code,
        });
        callback(err);
      },
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          const envelope = {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          };
          this.keep(Buffer.concat(chunks), envelope).then(
            () => callback(),
            (err: Error) => callback(err),
          );
        });
      },
    });
    server.on('error', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.server.address() as AddressInfo).port;
    return this.port;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** From now on every recipient is refused with this reply (e.g. 550), until `accept()`. */
  refuse(code = 550, message = 'mailbox unavailable'): void {
    this.refusal = { code, message };
  }

  accept(): void {
    this.refusal = null;
  }

  /** Every mail accepted, oldest first. */
  all(): CaughtMail[] {
    return [...this.mails];
  }

  /** Mails whose envelope is for `address`. */
  to(address: string): CaughtMail[] {
    const a = address.toLowerCase();
    return this.mails.filter((m) => m.envelope.to.some((t) => t.toLowerCase() === a));
  }

  get(id: string): CaughtMail | undefined {
    return this.mails.find((m) => m.id === id);
  }

  private async keep(raw: Buffer, envelope: CaughtMail['envelope']): Promise<void> {
    const receivedAt = new Date().toISOString();
    this.seq += 1;
    const id = `${receivedAt.replace(/[-:.TZ]/g, '')}-${String(this.seq).padStart(4, '0')}`;
    if (this.options.dir) {
      mkdirSync(this.options.dir, { recursive: true });
      const file = join(this.options.dir, `${id}.eml`);
      const header = `X-Catcher-Envelope: ${JSON.stringify({ ...envelope, receivedAt })}\r\n`;
      writeFileSync(`${file}.tmp`, Buffer.concat([Buffer.from(header), raw]));
      renameSync(`${file}.tmp`, file);
    }
    this.mails.push(await parse(id, raw, envelope, receivedAt));
  }

  private async load(dir: string): Promise<void> {
    let files: string[];
    try {
      files = readdirSync(dir)
        .filter((f) => f.endsWith('.eml'))
        .sort();
    } catch {
      return;
    }
    for (const file of files) {
      const raw = readFileSync(join(dir, file));
      const end = raw.indexOf('\r\n');
      const meta = JSON.parse(raw.subarray('X-Catcher-Envelope: '.length, end).toString()) as {
        from: string;
        to: string[];
        receivedAt: string;
      };
      const id = file.replace(/\.eml$/, '');
      const { receivedAt, ...envelope } = meta;
      this.mails.push(await parse(id, raw.subarray(end + 2), envelope, receivedAt));
    }
    this.seq = this.mails.length;
  }
}

async function parse(
  id: string,
  raw: Buffer,
  envelope: CaughtMail['envelope'],
  receivedAt: string,
): Promise<CaughtMail> {
  const parsed = await simpleParser(raw);
  return {
    id,
    receivedAt,
    envelope,
    messageId: parsed.messageId ?? null,
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: typeof parsed.html === 'string' ? parsed.html : null,
    attachments: parsed.attachments.map((a) => ({
      filename: a.filename ?? 'attachment',
      contentType: a.contentType,
      content: a.content,
    })),
  };
}
