// Receipt e-mails over real SMTP: the local mail catcher (smtp-server) on a TCP port, nodemailer
// in the service, real Stripe SDK against the fake, real PostgreSQL and Kafka.
import { MailCatcher, type CaughtMail } from '@bfi/provider-fakes';
import { eventually } from '@bfi/testing';
import pdfParse from 'pdf-parse';
import { idemKey, openWorld, type World } from './harness';

let w: World;
const catcher = new MailCatcher();
let smtpPort: number;

beforeAll(async () => {
  smtpPort = await catcher.start();
  w = await openWorld({
    SMTP_HOST: '127.0.0.1',
    SMTP_PORT: String(smtpPort),
    MAIL_FROM: 'Receipts <receipts@bfi.test>',
    COUNSELLING_URL: 'https://help.test/counselling',
    MAIL_RETRY_BASE_MS: '50',
    MAIL_RETRY_MAX_MS: '200',
    MAIL_POLL_MS: '50',
  });
});
afterAll(async () => {
  await w?.close();
  await catcher.stop();
});

async function paidGift(body: Record<string, unknown>) {
  const res = await w.api('POST', '/donations', {
    body: { amount: 2550, currency: 'BYN', provider: 'stripe', ...body },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const events = await w.stripe.pay(res.body.providerRefs.checkoutSessionId as string);
  const receipt = await eventually(async () => {
    const d = await w.api('GET', `/donations/${id}`);
    if (!d.body.receipt) throw new Error('not paid yet');
    return d.body.receipt as { number: string };
  });
  return { id, events, receipt: receipt.number };
}

async function mailRow(id: string) {
  const list = await w.api('GET', '/receipt-mails?limit=500', { key: 'finance' });
  expect(list.status).toBe(200);
  return (list.body.mails as { donationId: string }[]).find((m) => m.donationId === id) as
    Record<string, unknown> | undefined;
}

const oneMailTo = (address: string) =>
  eventually(() => {
    const mails = catcher.to(address);
    if (mails.length === 0) throw new Error(`no mail to ${address} yet`);
    return mails;
  });

async function pdfText(mail: CaughtMail): Promise<string> {
  expect(mail.attachments).toHaveLength(1);
  expect(mail.attachments[0]!.contentType).toBe('application/pdf');
  return (await pdfParse(mail.attachments[0]!.content)).text.replace(/\s+/g, ' ');
}

describe('receipt e-mails', () => {
  it('a gift with an e-mail gets exactly one mail, in the donor language, with the receipt PDF', async () => {
    const to = 'olga.ru@donor.test';
    const gift = await paidGift({ donorName: 'Ольга', donorEmail: to, locale: 'ru' });
    const mails = await oneMailTo(to);
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.envelope.from).toBe('receipts@bfi.test');
    expect(mail.subject).toBe(`Спасибо за пожертвование — квитанция ${gift.receipt}`);
    expect(mail.text).toContain('Уважаемый(ая) Ольга,');
    expect(mail.text).toContain('25,50 BYN');
    expect(mail.text).toContain('8 800 100 16 11');
    expect(mail.text).toContain('https://help.test/counselling');
    expect(mail.attachments[0]!.filename).toBe(`receipt-${gift.receipt}.pdf`);
    const pdf = await pdfText(mail);
    expect(pdf).toContain(gift.receipt);
    expect(pdf).toContain('25,50 BYN');
    expect(pdf).toContain('Квитанция о пожертвовании');
    expect(await mailRow(gift.id)).toMatchObject({
      status: 'sent',
      attempts: 1,
      to: 'o***@donor.test',
      receiptNumber: gift.receipt,
      locale: 'ru',
    });
  });

  it('a redelivered webhook, a second replica and a restarted sender send nothing more', async () => {
    const to = 'ales.be@donor.test';
    const gift = await paidGift({ donorEmail: to, locale: 'be' });
    await oneMailTo(to);
    for (const e of gift.events) await w.stripe.deliver(e);
    const replica = await w.replica();
    // Both senders run a full round now instead of waiting for their polls.
    expect(await replica.service.deps.mailer.runOnce()).toBe(0);
    expect(await w.service.deps.mailer.runOnce()).toBe(0);
    await replica.service.stop();
    const mails = catcher.to(to);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toContain('Дзякуй за ахвяраванне');
    expect(mails[0]!.text).toContain('Добры дзень,');
    expect(await mailRow(gift.id)).toMatchObject({ status: 'sent', attempts: 1 });
  });

  it('a gift without an e-mail sends no mail', async () => {
    const before = catcher.all().length;
    const gift = await paidGift({ donorName: 'Без пошты' });
    expect(await w.service.deps.mailer.runOnce()).toBe(0);
    expect(await mailRow(gift.id)).toBeUndefined();
    expect(catcher.all()).toHaveLength(before);
  });

  it('a server that refuses the recipient (550) is retried, visible, then delivered once', async () => {
    const to = 'refused@donor.test';
    catcher.refuse(550, 'mailbox unavailable');
    try {
      const gift = await paidGift({ donorEmail: to, locale: 'en' });
      const row = await eventually(async () => {
        const r = await mailRow(gift.id);
        if (!r || (r.attempts as number) < 2) throw new Error('not retried yet');
        return r;
      });
      expect(row).toMatchObject({ status: 'retrying', lastCode: 550, to: 'r***@donor.test' });
      expect(row.lastError).toMatch(/^refused: .*mailbox unavailable/);
      expect(JSON.stringify(row)).not.toContain(to);
      const metrics = await (await fetch(`${w.base}/metrics`)).text();
      expect(metrics).toMatch(/receipt_mail_attempts_total\{outcome="refused"\} [1-9]/);
      expect(catcher.to(to)).toHaveLength(0);
      catcher.accept();
      const mails = await oneMailTo(to);
      await eventually(async () =>
        expect(await mailRow(gift.id)).toMatchObject({ status: 'sent' }),
      );
      expect(mails).toHaveLength(1);
      expect(mails[0]!.subject).toBe(`Thank you for your gift — receipt ${gift.receipt}`);
      expect(await pdfText(mails[0]!)).toContain(gift.receipt);
    } finally {
      catcher.accept();
    }
  });

  it('an unreachable server is retried and the mail goes out once it is back', async () => {
    const to = 'later@donor.test';
    await catcher.stop();
    let restarted = false;
    try {
      const gift = await paidGift({ donorEmail: to, locale: 'en' });
      const row = await eventually(async () => {
        const r = await mailRow(gift.id);
        if (!r || (r.attempts as number) < 2) throw new Error('not retried yet');
        return r;
      });
      expect(row).toMatchObject({ status: 'retrying', lastCode: null });
      expect(row.lastError).toMatch(/^unreachable: .*ECONNREFUSED/);
      await catcher.start(smtpPort);
      restarted = true;
      const mails = await oneMailTo(to);
      await eventually(async () =>
        expect(await mailRow(gift.id)).toMatchObject({ status: 'sent' }),
      );
      expect(await w.service.deps.mailer.runOnce()).toBe(0);
      expect(catcher.to(to)).toHaveLength(1);
      expect(mails[0]!.text).toContain('25.50 BYN');
    } finally {
      if (!restarted) await catcher.start(smtpPort);
    }
  });

  it('finance reads the list by status; only a given-up mail can be retried by hand', async () => {
    const sent = await w.api('GET', '/receipt-mails?status=sent', { key: 'finance' });
    expect(sent.status).toBe(200);
    expect(sent.body.smtpConfigured).toBe(true);
    expect(sent.body.mails.length).toBeGreaterThan(0);
    expect(sent.body.mails.every((m: { status: string }) => m.status === 'sent')).toBe(true);
    const id = sent.body.mails[0].donationId as string;
    const retry = await w.api('POST', `/receipt-mails/${id}/retry`, { key: 'admin' });
    expect(retry.status).toBe(409);
    expect((await w.api('GET', '/receipt-mails')).status).toBe(401);
    expect((await w.api('GET', '/receipt-mails?status=lost', { key: 'finance' })).status).toBe(400);
  });
});
