import pdfParse from 'pdf-parse';
import { api, payByCard, phone, useBrowser } from './support/browser';

const env = useBrowser();

interface InboxMail {
  id: string;
  envelope: { to: string[] };
  subject: string;
  text: string;
  attachments: { filename: string; size: number }[];
}

async function mailsTo(address: string): Promise<InboxMail[]> {
  const all = (await (await fetch(`${env.s.urls.inbox}/mails.json`)).json()) as InboxMail[];
  return all.filter((m) => m.envelope.to.includes(address));
}

describe('the receipt e-mail of a gift made on the donate page', () => {
  it('arrives in the local inbox, in the page language, with the receipt PDF', async () => {
    const to = `web-ru-${Date.now()}@donor.test`;
    const page = await phone(env.browser);
    await page.goto(`${env.s.urls.web}/donate?lang=ru`);
    await page.getByLabel('Другая сумма').fill('12,30');
    await page.getByLabel('Ваше имя для квитанции').fill('Ольга');
    await page.getByLabel('E-mail для квитанции (необязательно)').fill(to);
    await page.getByRole('button', { name: 'Перейти к оплате' }).click();
    await page.waitForURL((url) => !url.href.startsWith(env.s.urls.web));
    await payByCard(page);
    const id = new URL(page.url()).pathname.split('/')[2]!;
    let number = '';
    for (let i = 0; i < 300 && !number; i++) {
      number = (await api(env.s.urls.payment, `/donations/${id}`)).body.receipt?.number ?? '';
      if (!number) await new Promise((r) => setTimeout(r, 100));
    }
    let mails: InboxMail[] = [];
    for (let i = 0; i < 300 && mails.length === 0; i++) {
      mails = await mailsTo(to);
      if (mails.length === 0) await new Promise((r) => setTimeout(r, 100));
    }
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe(`Спасибо за пожертвование — квитанция ${number}`);
    expect(mails[0]!.text).toContain('12,30 BYN');
    expect(mails[0]!.attachments).toMatchObject([{ filename: `receipt-${number}.pdf` }]);
    const pdf = await fetch(`${env.s.urls.inbox}/mails/${mails[0]!.id}/attachments/0`);
    const text = (await pdfParse(Buffer.from(await pdf.arrayBuffer()))).text.replace(/\s+/g, ' ');
    expect(text).toContain(number);
    expect(text).toContain('12,30 BYN');
    expect(text).toContain('Квитанция о пожертвовании');
  });
});
