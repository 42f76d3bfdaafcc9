// A counter QR as the office console follows it: waiting for the donor's scan, used by a
// donation (then that donation's status), or expired unused. The QR itself is rebuilt from the
// row (the token is a deterministic signature of it), so the console can show it again.
import { PaymentError } from '../domain/errors';
import { minorFromColumn } from '@bfi/money';
import QRCode from 'qrcode';
import { posterUrl, signQrToken, type IntentClaims } from '../domain/qr';
import type { AppDeps } from './deps';
import { staffView, toView, type DonationView } from './view';

export interface IntentStatusView {
  id: string;
  pointId: string;
  officeId: string;
  amount: { minor: number; currency: string };
  expiresAt: string;
  /** waiting: not scanned and paid for yet; used: a donation took it; expired: never used. */
  state: 'waiting' | 'used' | 'expired';
  url: string;
  qrSvg: string;
  /** The donation made with this QR (staff view), once there is one. */
  donation: DonationView | null;
}

export async function intentStatus(
  deps: AppDeps,
  pointId: string,
  jti: string,
): Promise<IntentStatusView> {
  const row = await deps.db.qrToken.findUnique({ where: { jti }, include: { point: true } });
  if (!row || row.pointId !== pointId)
    throw new PaymentError('not-found', `Donation point ${pointId} has no counter QR ${jti}.`);
  const claims: IntentClaims = {
    k: 'intent',
    jti,
    pid: row.pointId,
    oid: row.point.officeId,
    amt: minorFromColumn(row.amountMinor),
    cur: row.currency,
    exp: Math.floor(row.expiresAt.getTime() / 1000),
  };
  const url = posterUrl(deps.config.donatePageUrl, signQrToken(deps.config.qrSecret, claims));
  const donation = row.donationId
    ? await deps.db.donation.findUnique({
        where: { id: row.donationId },
        include: { payment: true },
      })
    : null;
  const state = donation ? 'used' : row.expiresAt <= deps.now() ? 'expired' : 'waiting';
  return {
    id: jti,
    pointId: row.pointId,
    officeId: row.point.officeId,
    amount: { minor: claims.amt, currency: row.currency },
    expiresAt: row.expiresAt.toISOString(),
    state,
    url,
    qrSvg: await QRCode.toString(url, { type: 'svg', margin: 2 }),
    donation: donation ? staffView(toView(donation)) : null,
  };
}
