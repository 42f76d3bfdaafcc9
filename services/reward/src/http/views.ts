// JSON shapes the API returns. Claim codes appear in full only to the donor.
import type { Reward } from '../app/office';
import { formatClaimCode, maskClaimCode, type Rule } from '../domain';
import type { RewardSettings } from '../app/context';

/** Shown on every thank-you page (campaign requirement). */
export const HELP_RESOURCES = {
  childHelpline: '8 800 100 16 11',
  counselling: 'Anonymous free psychological counselling website of the campaign',
};

function donorMessage(r: Reward): string {
  const physical = r.kind === 'physical-sticker-pack';
  switch (r.status) {
    case 'available':
      return physical
        ? `Show this code at the MTS office counter (${r.officeId}) to receive your sticker pack.`
        : r.fallback
          ? 'The office has run out of sticker packs, so your reward is the digital sticker pack: open it with the link.'
          : 'Open your digital sticker pack with the link; the code works once.';
    case 'waiting-list':
      return 'Your sticker pack is reserved as soon as the office receives its next delivery. Keep this code; the office will hand it out then.';
    case 'handed-out':
      return physical
        ? 'Your sticker pack has been handed out. Thank you!'
        : 'You have opened your digital sticker pack. Thank you!';
    case 'expired':
      return 'This claim code has expired.';
    default:
      return 'This reward was withdrawn because the donation was refunded or reversed.';
  }
}

const SHOWS_CODE = new Set(['available', 'waiting-list']);

/**
 * What the donor's page sees. The full code, its QR and the digital-pack link only with the
 * donor secret (`secret`, already checked against the reward's hash); without it the status
 * and a masked hint, so a donation id alone (staff see it) never yields the code.
 */
export function donorRewardView(r: Reward, settings: RewardSettings, secret?: string) {
  const usable = SHOWS_CODE.has(r.status);
  const showCode = usable && secret !== undefined;
  const base = `${settings.publicBaseUrl}/rewards/by-donation/${r.donationId}`;
  const digital = r.kind === 'digital-sticker-pack';
  const s = secret ? `?s=${encodeURIComponent(secret)}` : '';
  return {
    rewardId: r.id,
    donationId: r.donationId,
    kind: r.kind,
    status: r.status,
    fallback: r.fallback,
    officeId: r.officeId,
    claimCode: showCode ? formatClaimCode(r.claimCode) : null,
    claimCodeHint: usable ? maskClaimCode(r.claimCode) : null,
    claimExpiresAt: r.claimExpiresAt?.toISOString() ?? null,
    qr:
      showCode && !digital
        ? { png: `${base}/claim-qr.png${s}`, svg: `${base}/claim-qr.svg${s}` }
        : null,
    digitalPackLink:
      showCode && digital
        ? `${settings.publicBaseUrl}/digital-packs/${formatClaimCode(r.claimCode)}`
        : null,
    message: donorMessage(r),
    helpResources: HELP_RESOURCES,
  };
}

/** For staff lists: the code masked, so a screen glance cannot redeem someone else's pack. */
export function staffRewardView(r: Reward) {
  return {
    rewardId: r.id,
    donationId: r.donationId,
    status: r.status,
    claimCodeHint: maskClaimCode(r.claimCode),
    reservedAt: r.status === 'waiting-list' ? null : r.updatedAt.toISOString(),
    claimExpiresAt: r.claimExpiresAt?.toISOString() ?? null,
    handedOutAt: r.handedOutAt?.toISOString() ?? null,
    handedOutBy: r.handedOutBy,
    createdAt: r.createdAt.toISOString(),
  };
}

export function redeemedView(r: Reward) {
  return {
    rewardId: r.id,
    donationId: r.donationId,
    kind: r.kind,
    status: r.status,
    officeId: r.officeId,
    handedOutAt: r.handedOutAt?.toISOString() ?? null,
    handedOutBy: r.handedOutBy,
    message: 'Hand out one sticker pack.',
  };
}

export function ruleView(rule: Rule) {
  return {
    id: rule.id,
    campaign: rule.campaign,
    channel: rule.channel,
    fund: rule.fund,
    kind: rule.kind,
    outOfStock: rule.outOfStock,
    priority: rule.priority,
    installmentsUpTo: rule.installmentsUpTo,
    activeFrom: rule.activeFrom.toISOString(),
    activeUntil: rule.activeUntil?.toISOString() ?? null,
    minimums: rule.minimums,
    createdAt: rule.createdAt.toISOString(),
  };
}

export function movementView(m: {
  id: bigint;
  kind: string;
  availableDelta: number;
  reservedDelta: number;
  rewardId: string | null;
  reason: string | null;
  actor: string;
  createdAt: Date;
}) {
  return { ...m, id: m.id.toString(), createdAt: m.createdAt.toISOString() };
}
