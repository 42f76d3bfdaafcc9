// The full claim code is for the donor's device only: it needs the donor secret whose SHA-256
// came with the donation. A donation id alone (staff see it in their lists) yields nothing.
import { eventually } from '@bfi/testing';
import {
  arrange,
  donationPosted,
  OFFICE_A,
  OFFICE_PHYSICAL_RULE,
  ONLINE_DIGITAL_RULE,
  openWorld,
  testDonorSecret,
  type World,
} from './harness';

let world: World;
beforeAll(async () => {
  world = await openWorld();
  await arrange(world, { rules: [OFFICE_PHYSICAL_RULE, ONLINE_DIGITAL_RULE], stockA: 5 });
});
afterAll(async () => {
  await world?.close();
});

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(world.baseUrl + url, { headers });
  const text = Buffer.from(await res.arrayBuffer()).toString('utf8');
  return { status: res.status, text, type: res.headers.get('content-type') ?? '' };
}

async function posted(channel: 'office' | 'online') {
  const event = donationPosted(
    channel === 'office' ? { officeId: OFFICE_A } : { channel: 'online', officeId: null },
  );
  await world.publish([event]);
  const id = event.data.donationId;
  await eventually(async () => expect((await get(`/rewards/by-donation/${id}`)).status).toBe(200));
  const full = (await world.call('GET', `/rewards/by-donation/${id}`)).body;
  return { id, code: full.claimCode as string, secret: testDonorSecret(id) };
}

describe('claim codes and the donor secret', () => {
  it('without the secret, no public or staff endpoint yields the full code', async () => {
    const { id, code } = await posted('office');
    expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    const raw = code.replace('-', '');
    const staff = { authorization: `Bearer ${world.keys.staffA}` };
    const answers = [
      await get(`/rewards/by-donation/${id}`),
      await get(`/rewards/by-donation/${id}`, staff),
      await get(`/offices/${OFFICE_A}/pending-handouts`, staff),
      await get(`/offices/${OFFICE_A}/handouts`, staff),
      await get(`/offices/${OFFICE_A}/stock`, staff),
    ];
    for (const a of answers) {
      expect(a.status).toBe(200);
      expect(a.text).not.toContain(code);
      expect(a.text).not.toContain(raw);
    }
    const page = JSON.parse(answers[0]!.text);
    expect(page).toMatchObject({ status: 'available', claimCode: null, qr: null });
    expect(page.claimCodeHint).toMatch(/^••••-••[2-9A-Z]{2}$/);
    // The QR images refuse before they draw anything.
    for (const ext of ['png', 'svg']) {
      expect((await get(`/rewards/by-donation/${id}/claim-qr.${ext}`)).status).toBe(403);
      expect((await get(`/rewards/by-donation/${id}/claim-qr.${ext}`, staff)).status).toBe(403);
    }
  });

  it('with the secret (header, or ?s= for the QR images) the donor gets the code and its QR', async () => {
    const { id, code, secret } = await posted('office');
    const page = await get(`/rewards/by-donation/${id}`, { 'x-donor-secret': secret });
    const body = JSON.parse(page.text);
    expect(body.claimCode).toBe(code);
    expect(body.qr.png).toContain(`/claim-qr.png?s=${secret}`);
    const png = await get(`/rewards/by-donation/${id}/claim-qr.png?s=${secret}`);
    expect(png.status).toBe(200);
    expect(png.type).toBe('image/png');
    const svg = await get(`/rewards/by-donation/${id}/claim-qr.svg`, { 'x-donor-secret': secret });
    expect(svg.status).toBe(200);
    expect(svg.text).toContain('<svg');
  });

  it('a wrong secret — another donation’s, or made up — is refused like none', async () => {
    const a = await posted('office');
    const b = await posted('office');
    for (const wrong of [b.secret, 'A'.repeat(43), a.secret.slice(0, -1) + 'x']) {
      const page = JSON.parse(
        (await get(`/rewards/by-donation/${a.id}`, { 'x-donor-secret': wrong })).text,
      );
      expect(page.claimCode).toBeNull();
      expect((await get(`/rewards/by-donation/${a.id}/claim-qr.png?s=${wrong}`)).status).toBe(403);
    }
  });

  it('a digital pack link (which carries the code) is shown only with the secret', async () => {
    const { id, code, secret } = await posted('online');
    const stranger = JSON.parse((await get(`/rewards/by-donation/${id}`)).text);
    expect(stranger).toMatchObject({ kind: 'digital-sticker-pack', digitalPackLink: null });
    // This donation's own code, with or without its dash (a UUID may hold 8 code-like digits).
    expect(JSON.stringify(stranger)).not.toContain(code);
    expect(JSON.stringify(stranger)).not.toContain(code.replace('-', ''));
    const donor = JSON.parse(
      (await get(`/rewards/by-donation/${id}`, { 'x-donor-secret': secret })).text,
    );
    expect(donor.digitalPackLink).toContain(code);
  });

  it('a donation posted before donor secrets existed shows its code to nobody', async () => {
    const event = donationPosted({ officeId: OFFICE_A, donorSecretHash: undefined });
    delete (event.data as { donorSecretHash?: string }).donorSecretHash;
    await world.publish([event]);
    const id = event.data.donationId;
    await eventually(async () =>
      expect((await get(`/rewards/by-donation/${id}`)).status).toBe(200),
    );
    const page = JSON.parse(
      (await get(`/rewards/by-donation/${id}`, { 'x-donor-secret': testDonorSecret(id) })).text,
    );
    expect(page).toMatchObject({ status: 'available', claimCode: null });
  });
});
