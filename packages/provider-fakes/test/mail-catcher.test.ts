import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nodemailer from 'nodemailer';
import { MailCatcher, mailInbox } from '../src';

const dir = mkdtempSync(join(tmpdir(), 'bfi-mail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function send(port: number, to: string) {
  return nodemailer.createTransport({ host: '127.0.0.1', port }).sendMail({
    from: 'receipts@bfi.test',
    to,
    subject: 'Квітанцыя BFI-2026-000001',
    text: 'Дзякуй!',
    attachments: [{ filename: 'receipt.pdf', content: Buffer.from('%PDF-1.4 test') }],
  });
}

describe('mail catcher', () => {
  it('keeps what it accepts across a restart and shows it on the inbox page', async () => {
    const first = new MailCatcher({ dir });
    const port = await first.start();
    await send(port, 'anna@donor.test');
    await first.stop();
    expect(readdirSync(dir).filter((f) => f.endsWith('.eml'))).toHaveLength(1);

    const again = new MailCatcher({ dir });
    await again.start();
    const inbox = mailInbox(again);
    const url = await inbox.start();
    try {
      const [mail] = again.to('anna@donor.test');
      expect(mail).toMatchObject({ subject: 'Квітанцыя BFI-2026-000001', text: 'Дзякуй!' });
      const list = await (await fetch(url)).text();
      expect(list).toContain('Квітанцыя BFI-2026-000001');
      const page = await (await fetch(`${url}/mails/${mail!.id}`)).text();
      expect(page).toContain('Дзякуй!');
      const file = await fetch(`${url}/mails/${mail!.id}/attachments/0`);
      expect(file.headers.get('content-disposition')).toContain('receipt.pdf');
      expect(Buffer.from(await file.arrayBuffer()).toString()).toBe('%PDF-1.4 test');
      expect((await fetch(`${url}/mails/nope`)).status).toBe(404);
    } finally {
      await inbox.stop();
      await again.stop();
    }
  });

  it('refuses recipients with the reply it is given, then accepts again', async () => {
    const catcher = new MailCatcher();
    const port = await catcher.start();
    try {
      catcher.refuse(550, 'no such mailbox');
      await expect(send(port, 'x@donor.test')).rejects.toMatchObject({ responseCode: 550 });
      catcher.accept();
      await send(port, 'x@donor.test');
      expect(catcher.to('x@donor.test')).toHaveLength(1);
    } finally {
      await catcher.stop();
    }
  });
});
