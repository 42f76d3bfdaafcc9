// What the donor's thank-you page and phone use. Public (rate-limited). The donation id is not
// a secret (office staff see it); the full claim code needs the donor secret (X-Donor-Secret
// header, or ?s= on the QR image URLs), which only the donor's device holds.
import {
  defineRoute,
  donorSecretMatches,
  donorSecretOf,
  publicRateLimit,
  type Route,
} from '@bfi/http';
import type { Request } from 'express';
import type { RewardContext } from '../app/context';
import { claimableCode, donationReward } from '../app/donor';
import { claimDigitalPack } from '../app/redeem';
import { qrPng, qrSvg } from './qr';
import { DigitalPackClaim, DonorReward } from './responses';
import { CodeParams, DonationParams } from './schemas';
import { donorRewardView, HELP_RESOURCES } from './views';

const TAGS = ['donor'];
const TOO_MANY = { 429: 'Too many requests from this address; retry later' };
const QR_PROBLEMS = {
  ...TOO_MANY,
  403: 'Not the donor’s device (no or wrong donor secret)',
  404: 'No claim code',
  410: 'No longer usable',
};

/** The donor secret of the request when it matches the reward's, else undefined. */
function provenSecret(req: Request, hash: string | null): string | undefined {
  const secret = donorSecretOf(req);
  return donorSecretMatches(secret, hash) ? secret : undefined;
}

function qrRoute(ctx: RewardContext, limited: Route['before'], ext: 'png' | 'svg'): Route {
  const contentType = ext === 'png' ? 'image/png' : 'image/svg+xml';
  return defineRoute({
    operationId: ext === 'png' ? 'getClaimQrPng' : 'getClaimQrSvg',
    method: 'get',
    path: `/rewards/by-donation/:donationId/claim-qr.${ext}`,
    summary: `Claim code as QR (${ext.toUpperCase()})`,
    tags: TAGS,
    access: 'public',
    before: limited,
    params: DonationParams,
    response: { status: 200, raw: true, contentType, description: ext.toUpperCase() },
    problems: QR_PROBLEMS,
    handle: async ({ params, req, res }) => {
      const code = await claimableCode(ctx, params.donationId, (hash) =>
        Boolean(provenSecret(req, hash)),
      );
      res
        .set('cache-control', 'no-store')
        .type(contentType)
        .send(await (ext === 'png' ? qrPng(code) : qrSvg(code)));
    },
  });
}

export function donorRoutes(ctx: RewardContext): Route[] {
  const limited = [publicRateLimit()];
  return [
    defineRoute({
      operationId: 'getDonationReward',
      method: 'get',
      path: '/rewards/by-donation/:donationId',
      summary: 'What the thank-you page shows',
      tags: TAGS,
      access: 'public',
      before: limited,
      params: DonationParams,
      response: { status: 200, description: 'Reward or "none"', schema: DonorReward },
      problems: { 404: 'Not decided yet', ...TOO_MANY },
      handle: async ({ params: { donationId }, req, res }) => {
        const decision = await donationReward(ctx, donationId);
        res.set('cache-control', 'no-store');
        const reward = decision.reward;
        if (!reward)
          return {
            donationId,
            status: 'none',
            message: 'Thank you for your donation! It did not unlock a sticker pack this time.',
            helpResources: HELP_RESOURCES,
          };
        return donorRewardView(reward, ctx.settings, provenSecret(req, reward.donorSecretHash));
      },
    }),
    qrRoute(ctx, limited, 'png'),
    qrRoute(ctx, limited, 'svg'),
    defineRoute({
      operationId: 'claimDigitalPack',
      method: 'post',
      path: '/digital-packs/:code/claim',
      summary: 'Open a digital sticker pack (once)',
      tags: TAGS,
      access: 'public',
      before: limited,
      params: CodeParams,
      response: { status: 200, description: 'Download link', schema: DigitalPackClaim },
      problems: { 404: 'Unknown code', 409: 'Already opened or revoked', ...TOO_MANY },
      handle: async ({ params }) => {
        const reward = await claimDigitalPack(ctx, params.code);
        return {
          rewardId: reward.id,
          donationId: reward.donationId,
          status: reward.status,
          downloadUrl: ctx.settings.digitalPackUrl.replace('{code}', reward.claimCode),
          message: 'Your digital sticker pack is ready: add it with the download link. Thank you!',
        };
      },
    }),
  ];
}
