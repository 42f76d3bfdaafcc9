// What the donor's thank-you page and phone use. Public (rate-limited). The donation id is not
// a secret (office staff see it); the full claim code needs the donor secret (X-Donor-Secret
// header, or ?s= on the QR image URLs), which only the donor's device holds.
import {
  donorSecretMatches,
  donorSecretOf,
  forbidden,
  HttpProblem,
  notFound,
  parseInput,
  publicRateLimit,
} from '@bfi/http';
import type { Express, Request } from 'express';
import { findDecision } from '../db/rewards-repo';
import { formatClaimCode } from '../domain';
import type { RewardContext } from '../app/context';
import { claimDigitalPack } from '../app/redeem';
import { qrPng, qrSvg } from './qr';
import { CodeParams, DonationParams } from './schemas';
import { donorRewardView, HELP_RESOURCES } from './views';

async function rewardFor(ctx: RewardContext, req: Request) {
  const { donationId } = parseInput(DonationParams, req.params, 'path');
  const decision = await findDecision(ctx.db, donationId);
  if (!decision) {
    throw notFound(
      'No reward decision for this donation yet. It usually appears a few seconds after the payment; please retry.',
    );
  }
  return { donationId, decision };
}

/** The donor secret of the request when it matches the reward's, else undefined. */
function provenSecret(req: Request, hash: string | null): string | undefined {
  const secret = donorSecretOf(req);
  return donorSecretMatches(secret, hash) ? secret : undefined;
}

/** The claim code for the QR, or a clear refusal when there is nothing to claim. */
async function claimable(ctx: RewardContext, req: Request): Promise<string> {
  const { decision } = await rewardFor(ctx, req);
  const reward = decision.reward;
  if (!reward) throw notFound('This donation did not unlock a reward, so there is no claim code.');
  if (!provenSecret(req, reward.donorSecretHash))
    throw forbidden(
      'The claim QR is shown only on the donor’s device: open it from the thank-you page link you got after paying.',
    );
  if (reward.kind !== 'physical-sticker-pack')
    throw notFound(
      'This reward is a digital pack: open it with its link, there is nothing to scan.',
    );
  if (reward.status !== 'available' && reward.status !== 'waiting-list') {
    throw new HttpProblem(
      410,
      'Gone',
      `This claim code can no longer be used (the reward is ${reward.status}).`,
    );
  }
  return formatClaimCode(reward.claimCode);
}

export function donorRoutes(app: Express, ctx: RewardContext): void {
  const limited = publicRateLimit();

  app.get('/rewards/by-donation/:donationId', limited, async (req, res) => {
    const { donationId, decision } = await rewardFor(ctx, req);
    res.set('cache-control', 'no-store');
    if (!decision.reward) {
      res.json({
        donationId,
        status: 'none',
        message: 'Thank you for your donation! It did not unlock a sticker pack this time.',
        helpResources: HELP_RESOURCES,
      });
      return;
    }
    const reward = decision.reward;
    res.json(donorRewardView(reward, ctx.settings, provenSecret(req, reward.donorSecretHash)));
  });

  app.get('/rewards/by-donation/:donationId/claim-qr.png', limited, async (req, res) => {
    const code = await claimable(ctx, req);
    res
      .set('cache-control', 'no-store')
      .type('image/png')
      .send(await qrPng(code));
  });

  app.get('/rewards/by-donation/:donationId/claim-qr.svg', limited, async (req, res) => {
    const code = await claimable(ctx, req);
    res
      .set('cache-control', 'no-store')
      .type('image/svg+xml')
      .send(await qrSvg(code));
  });

  app.post('/digital-packs/:code/claim', limited, async (req, res) => {
    const { code } = parseInput(CodeParams, req.params, 'path');
    const reward = await claimDigitalPack(ctx, code);
    res.json({
      rewardId: reward.id,
      donationId: reward.donationId,
      status: reward.status,
      downloadUrl: ctx.settings.digitalPackUrl.replace('{code}', reward.claimCode),
      message: 'Your digital sticker pack is ready: add it with the download link. Thank you!',
    });
  });
}
