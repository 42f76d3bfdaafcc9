// Office console reads: what a donation at the counter unlocked, what a claim code stands for
// before staff hand anything over, and a live stream of the office's stock and rewards. Staff
// see only their own office (assertOffice on the path, then the reward's own office).
import { assertOffice, notFound, parseInput, requireRole, SseLimiter } from '@bfi/http';
import type { Express, Request } from 'express';
import { findByCode, findDecision, stateOf } from '../db/rewards-repo';
import { officeSnapshot } from '../db/stock-repo';
import { formatClaimCode, parseClaimCode, redeemRefusal, RewardError } from '../domain';
import type { RewardContext } from '../app/context';
import { STATUS_OF_REFUSAL } from '../app/redeem';
import { CodeParams, DonationParams, OfficeParams } from './schemas';
import { staffRewardView } from './views';

function officeOf(req: Request): string {
  const { officeId } = parseInput(OfficeParams, req.params, 'path');
  assertOffice(req, officeId);
  return officeId;
}

export const DEFAULT_LOW_STOCK_THRESHOLD = 5;

export function lowStockOf(ctx: RewardContext, available: number) {
  const threshold = ctx.settings.lowStockThreshold ?? DEFAULT_LOW_STOCK_THRESHOLD;
  return { lowStock: available <= threshold, lowStockThreshold: threshold };
}

export function officeRoutes(app: Express, ctx: RewardContext, streams: SseLimiter): void {
  counterRewardRoute(app, ctx);
  claimCodeRoute(app, ctx);
  officeStreamRoute(app, ctx, streams);
}

function counterRewardRoute(app: Express, ctx: RewardContext): void {
  const staff = requireRole('office-staff');

  // The console's counter screen: the reward (code masked) once the donation is decided.
  app.get('/offices/:officeId/rewards/by-donation/:donationId', staff, async (req, res) => {
    const officeId = officeOf(req);
    const { donationId } = parseInput(DonationParams, req.params, 'path');
    const decision = await findDecision(ctx.db, donationId);
    if (!decision || decision.officeId !== officeId)
      throw notFound(
        'No reward decision for this donation of your office yet; it follows the payment within seconds.',
      );
    const reward = decision.reward;
    res.json({
      donationId,
      outcome: decision.outcome,
      reason: decision.reason,
      reward: reward
        ? { ...staffRewardView(reward), kind: reward.kind, fallback: reward.fallback }
        : null,
    });
  });
}

function claimCodeRoute(app: Express, ctx: RewardContext): void {
  const staff = requireRole('office-staff');
  // What a scanned or typed code stands for, refused exactly as a redemption would be; changes nothing.
  app.get('/offices/:officeId/claim-codes/:code', staff, async (req, res) => {
    const officeId = officeOf(req);
    const { code: input } = parseInput(CodeParams, req.params, 'path');
    const parsed = parseClaimCode(input);
    if (!parsed.ok) throw new RewardError('invalid', parsed.problem, 'invalid-code');
    const reward = await findByCode(ctx.db, parsed.code);
    if (!reward)
      throw new RewardError(
        'not-found',
        `No reward has the claim code ${input}. Check the code on the donor's phone.`,
        'unknown-code',
      );
    const refusal = redeemRefusal(stateOf(reward), officeId, ctx.clock());
    if (refusal)
      throw new RewardError(STATUS_OF_REFUSAL[refusal.code], refusal.detail, refusal.code);
    res.json({
      code: formatClaimCode(reward.claimCode),
      rewardId: reward.id,
      donationId: reward.donationId,
      kind: reward.kind,
      status: reward.status,
      claimExpiresAt: reward.claimExpiresAt?.toISOString() ?? null,
      handOver: { physicalStickerPacks: 1 },
    });
  });
}

function officeStreamRoute(app: Express, ctx: RewardContext, streams: SseLimiter): void {
  const staff = requireRole('office-staff');
  app.get('/offices/:officeId/events', staff, (req, res) => {
    const officeId = officeOf(req);
    const sse = streams.openSse(req, res);
    if (!sse) return;
    let last = '';
    let busy = false;
    const tick = async () => {
      if (busy) return;
      busy = true;
      try {
        const snap = await officeSnapshot(ctx.db, officeId);
        const data = { officeId, ...snap, ...lowStockOf(ctx, snap.available) };
        const json = JSON.stringify(data);
        if (json !== last) {
          last = json;
          sse.send('office', data, `${snap.lastMovementId}.${snap.rewardsChangedAt ?? ''}`);
        }
      } catch {
        res.end(); // the database failed: end this stream only; the browser reconnects
      } finally {
        busy = false;
      }
    };
    // Read, not pushed: every replica's stream sees what any replica committed.
    const timer = setInterval(() => void tick(), ctx.settings.streamPollMs ?? 1000);
    void tick();
    void sse.closed.then(() => clearInterval(timer));
  });
}
