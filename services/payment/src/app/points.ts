import { randomUUID } from 'node:crypto';
import { formatMoney, moneyFromColumn, type Money } from '@bfi/money';
import { FONTS, useSuiteFonts } from '@bfi/pdf-fonts';
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';
import {
  posterUrl,
  signQrToken,
  verifyQrToken,
  type IntentClaims,
  type QrClaims,
} from '../domain/qr';
import { PaymentError } from '../domain/errors';
import type { DonationPoint, Office } from '../db/generated/client';
import type { AppDeps } from './deps';

export interface Attribution {
  channel: 'online' | 'office';
  officeId: string | null;
  officeName: string | null;
  pointId: string | null;
  intentJti: string | null;
}

const ONLINE: Attribution = {
  channel: 'online',
  officeId: null,
  officeName: null,
  pointId: null,
  intentJti: null,
};

export interface OfficeView {
  id: string;
  name: string;
  disabled: boolean;
  createdAt: string;
}

export interface PointView {
  id: string;
  officeId: string;
  label: string;
  kind: 'poster' | 'counter';
  disabled: boolean;
  createdAt: string;
}

/** A point as its office's staff and admins see it, with the URL its poster QR encodes. */
export interface PosterPointView extends PointView {
  posterUrl: string;
}

const officeView = (o: Office): OfficeView => ({
  id: o.id,
  name: o.name,
  disabled: o.disabled,
  createdAt: o.createdAt.toISOString(),
});

const pointView = (p: DonationPoint): PointView => ({
  id: p.id,
  officeId: p.officeId,
  label: p.label,
  kind: p.kind === 'counter' ? 'counter' : 'poster',
  disabled: p.disabled,
  createdAt: p.createdAt.toISOString(),
});

const posterPoint = (deps: AppDeps, p: DonationPoint): PosterPointView => ({
  ...pointView(p),
  posterUrl: posterLink(deps, p),
});

export async function createOffice(
  deps: AppDeps,
  input: { id: string; name: string },
): Promise<OfficeView> {
  const existing = await deps.db.office.findUnique({ where: { id: input.id } });
  if (existing) throw new PaymentError('conflict', `Office ${input.id} already exists.`);
  return officeView(await deps.db.office.create({ data: input }));
}

export async function listOffices(deps: AppDeps): Promise<OfficeView[]> {
  return (await deps.db.office.findMany({ orderBy: { id: 'asc' } })).map(officeView);
}

export async function setOfficeDisabled(
  deps: AppDeps,
  id: string,
  disabled: boolean,
): Promise<OfficeView> {
  await requireOffice(deps, id);
  return officeView(await deps.db.office.update({ where: { id }, data: { disabled } }));
}

async function requireOffice(deps: AppDeps, id: string): Promise<Office> {
  const office = await deps.db.office.findUnique({ where: { id } });
  if (!office) throw new PaymentError('not-found', `There is no office ${id}.`);
  return office;
}

export async function createPoint(
  deps: AppDeps,
  officeId: string,
  input: { label: string; kind: 'poster' | 'counter' },
): Promise<PosterPointView> {
  const office = await requireOffice(deps, officeId);
  if (office.disabled)
    throw new PaymentError(
      'conflict',
      `Office ${officeId} is disabled; enable it before adding donation points.`,
    );
  return posterPoint(deps, await deps.db.donationPoint.create({ data: { officeId, ...input } }));
}

function pointsOf(deps: AppDeps, officeId: string): Promise<DonationPoint[]> {
  return deps.db.donationPoint.findMany({ where: { officeId }, orderBy: { createdAt: 'asc' } });
}

export async function listPoints(deps: AppDeps, officeId: string): Promise<PosterPointView[]> {
  return (await pointsOf(deps, officeId)).map((p) => posterPoint(deps, p));
}

export async function requirePoint(
  deps: AppDeps,
  id: string,
): Promise<DonationPoint & { office: Office }> {
  const point = await deps.db.donationPoint.findUnique({
    where: { id },
    include: { office: true },
  });
  if (!point) throw new PaymentError('not-found', `There is no donation point ${id}.`);
  return point;
}

export async function setPointDisabled(
  deps: AppDeps,
  id: string,
  disabled: boolean,
): Promise<PointView> {
  await requirePoint(deps, id);
  return pointView(await deps.db.donationPoint.update({ where: { id }, data: { disabled } }));
}

function assertActive(point: DonationPoint & { office: Office }): void {
  if (point.disabled || point.office.disabled) {
    throw new PaymentError(
      'gone',
      'This donation point is no longer active. You can still donate online without it.',
      { code: 'point-disabled' },
    );
  }
}

/** The poster QR's URL: signed, so a gift through it is attributed to this office and point. */
export function posterLink(deps: AppDeps, point: DonationPoint): string {
  return posterUrl(
    deps.config.donatePageUrl,
    signQrToken(deps.config.qrSecret, { k: 'poster', pid: point.id, oid: point.officeId }),
  );
}

export async function posterQr(
  deps: AppDeps,
  pointId: string,
  format: 'png' | 'svg',
): Promise<Buffer | string> {
  const point = await requirePoint(deps, pointId);
  assertActive(point);
  const url = posterLink(deps, point);
  return format === 'png'
    ? QRCode.toBuffer(url, { type: 'png', margin: 2, width: 512 })
    : QRCode.toString(url, { type: 'svg', margin: 2 });
}

/** A printable A4 sheet, one poster per page, for every active point of an office. */
export async function postersPdf(deps: AppDeps, officeId: string): Promise<Buffer> {
  const office = await requireOffice(deps, officeId);
  const points = (await pointsOf(deps, officeId)).filter((p) => !p.disabled);
  // Office names are Belarusian or Russian: the embedded font has the Cyrillic glyphs.
  const doc = useSuiteFonts(
    new PDFDocument({
      size: 'A4',
      margin: 56,
      info: { Title: `Donation posters — ${office.name}` },
    }),
  );
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) =>
    doc.on('end', () => resolve(Buffer.concat(chunks))),
  );
  if (points.length === 0) doc.fontSize(16).text(`${office.name}: no active donation points.`);
  for (const [i, point] of points.entries()) {
    if (i > 0) doc.addPage();
    const png = await QRCode.toBuffer(posterLink(deps, point), {
      type: 'png',
      margin: 1,
      width: 600,
    });
    doc.font(FONTS.bold).fontSize(26).text('#BullyingFreeInternet', { align: 'center' });
    doc.font(FONTS.regular);
    doc
      .moveDown(0.5)
      .fontSize(14)
      .text('Scan to help train specialists who support children hurt by cyberbullying.', {
        align: 'center',
      });
    doc.image(png, (doc.page.width - 300) / 2, 200, { width: 300 });
    doc.fontSize(12).text(`${office.name} — ${point.label}`, 56, 530, { align: 'center' });
    doc
      .moveDown()
      .fontSize(10)
      .text('Child helpline 8 800 100 16 11 · anonymous free counselling online', {
        align: 'center',
      });
  }
  doc.end();
  return done;
}

export interface IntentView {
  /** The QR's id: the console follows it at GET /donation-points/:id/intents/:intentId. */
  id: string;
  token: string;
  url: string;
  qrSvg: string;
  amount: Money;
  pointId: string;
  officeId: string;
  expiresAt: string;
}

/** A one-time counter QR for one amount; the row makes it single use. */
export async function createIntent(
  deps: AppDeps,
  point: DonationPoint & { office: Office },
  amount: Money,
): Promise<IntentView> {
  assertActive(point);
  const jti = randomUUID();
  const expiresAt = new Date(deps.now().getTime() + deps.config.qrIntentTtlSeconds * 1000);
  await deps.db.qrToken.create({
    data: {
      jti,
      pointId: point.id,
      amountMinor: BigInt(amount.minor),
      currency: amount.currency,
      expiresAt,
    },
  });
  const claims: IntentClaims = {
    k: 'intent',
    jti,
    pid: point.id,
    oid: point.officeId,
    amt: amount.minor,
    cur: amount.currency,
    exp: Math.floor(expiresAt.getTime() / 1000),
  };
  const token = signQrToken(deps.config.qrSecret, claims);
  const url = posterUrl(deps.config.donatePageUrl, token);
  return {
    id: jti,
    token,
    url,
    qrSvg: await QRCode.toString(url, { type: 'svg', margin: 2 }),
    amount,
    pointId: point.id,
    officeId: point.officeId,
    expiresAt: expiresAt.toISOString(),
  };
}

/** Signature, expiry, point and office of a donation-point token; throws a problem a donor can read. */
async function verifiedPoint(
  deps: AppDeps,
  token: string,
): Promise<{ claims: QrClaims; point: DonationPoint & { office: Office } }> {
  const verified = verifyQrToken(
    deps.config.qrSecret,
    token,
    Math.floor(deps.now().getTime() / 1000),
  );
  if (!verified.ok) {
    if (verified.code === 'expired')
      throw new PaymentError('gone', verified.message, { code: 'qr-expired' });
    throw new PaymentError('invalid', verified.message, { code: `qr-${verified.code}` });
  }
  const { claims } = verified;
  const point = await requirePoint(deps, claims.pid).catch(() => {
    throw new PaymentError('invalid', 'This QR code names a donation point we do not know.', {
      code: 'qr-unknown-point',
    });
  });
  assertActive(point);
  if (point.officeId !== claims.oid) {
    throw new PaymentError(
      'unprocessable',
      `This QR code was issued for office ${claims.oid}, but the point now belongs to office ${point.officeId}.`,
      { code: 'qr-other-office' },
    );
  }
  return { claims, point };
}

/** A counter QR is single use: its row must exist for this point and not be consumed yet. */
async function assertIntentUnused(deps: AppDeps, claims: IntentClaims, pointId: string) {
  const row = await deps.db.qrToken.findUnique({ where: { jti: claims.jti } });
  if (!row || row.pointId !== pointId)
    throw new PaymentError('invalid', 'This counter QR code was not issued by us.', {
      code: 'qr-forged',
    });
  if (row.consumedAt)
    throw new PaymentError(
      'conflict',
      'This counter QR code was already used for a donation. Ask the staff member for a new one.',
      { code: 'qr-reused' },
    );
}

export interface PointTokenView {
  kind: 'poster' | 'counter';
  office: { id: string; name: string };
  pointLabel: string;
  /** A counter QR's fixed amount; null for a poster (the donor chooses). */
  amount: Money | null;
  expiresAt: string | null;
}

/** What the donate page shows for a QR before anything is paid; refuses as a donation would. */
export async function inspectPointToken(deps: AppDeps, token: string): Promise<PointTokenView> {
  const { claims, point } = await verifiedPoint(deps, token);
  const office = { id: point.office.id, name: point.office.name };
  if (claims.k === 'poster')
    return { kind: 'poster', office, pointLabel: point.label, amount: null, expiresAt: null };
  await assertIntentUnused(deps, claims, point.id);
  return {
    kind: 'counter',
    office,
    pointLabel: point.label,
    amount: moneyFromColumn(claims.amt, claims.cur),
    expiresAt: new Date(claims.exp * 1000).toISOString(),
  };
}

/** Checks a donation-point token: signature, expiry, point and office, amount of a counter QR. */
export async function resolvePointToken(
  deps: AppDeps,
  token: string | null,
  amount: Money,
): Promise<Attribution> {
  if (!token) return ONLINE;
  const { claims, point } = await verifiedPoint(deps, token);
  const office = {
    channel: 'office',
    officeId: point.officeId,
    officeName: point.office.name,
  } as const;
  if (claims.k === 'poster') return { ...office, pointId: point.id, intentJti: null };
  if (claims.amt !== amount.minor || claims.cur !== amount.currency) {
    const expected = formatMoney(moneyFromColumn(claims.amt, claims.cur));
    throw new PaymentError(
      'unprocessable',
      `This counter QR code is for ${expected}; the donation says ${formatMoney(amount)}.`,
      { code: 'qr-amount-mismatch' },
    );
  }
  await assertIntentUnused(deps, claims, point.id);
  return { ...office, pointId: point.id, intentJti: claims.jti };
}
