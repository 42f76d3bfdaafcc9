// Office console reads: what a donation at the counter unlocked, what a claim code stands for
// before staff hand anything over, and a live stream of the office's stock and rewards. Staff
// see only their own office (assertOffice on the path, then the reward's own office).
import { assertOffice, defineRoute, type Route, type SseLimiter } from '@bfi/http';
import { Ticker } from '@bfi/messaging';
import type { RewardContext } from '../app/context';
import { counterDecision, inspectClaimCode, officeLiveState } from '../app/office';
import { formatClaimCode } from '../domain';
import { ClaimCodeInfo, CounterReward, OfficeEvent } from './responses';
import { CodeParams, DonationParams, OfficeParams } from './schemas';
import { staffRewardView } from './views';

const STAFF = ['office-staff'] as const;
const TAGS = ['office'];

const counterReward = (ctx: RewardContext): Route =>
  defineRoute({
    operationId: 'getCounterReward',
    method: 'get',
    path: '/offices/:officeId/rewards/by-donation/:donationId',
    summary: 'What a donation at this office unlocked (code masked), for the counter screen',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams.extend(DonationParams.shape),
    response: { status: 200, description: 'Decision and reward', schema: CounterReward },
    problems: { 404: 'Not decided yet, or not this office' },
    handle: async ({ params, req }) => {
      assertOffice(req, params.officeId);
      const decision = await counterDecision(ctx, params.officeId, params.donationId);
      const reward = decision.reward;
      return {
        donationId: params.donationId,
        outcome: decision.outcome,
        reason: decision.reason,
        reward: reward
          ? { ...staffRewardView(reward), kind: reward.kind, fallback: reward.fallback }
          : null,
      };
    },
  });

const claimCode = (ctx: RewardContext): Route =>
  defineRoute({
    operationId: 'inspectClaimCode',
    method: 'get',
    path: '/offices/:officeId/claim-codes/:code',
    summary: 'What a claim code stands for before handing out; refused as a redemption would be',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams.extend(CodeParams.shape),
    response: { status: 200, description: 'What to hand over', schema: ClaimCodeInfo },
    problems: {
      404: 'Unknown code',
      409: 'Already used, revoked, or waiting for stock',
      410: 'Code expired',
      422: 'Digital pack code',
    },
    handle: async ({ params, req }) => {
      assertOffice(req, params.officeId);
      const reward = await inspectClaimCode(ctx, params.officeId, params.code);
      return {
        code: formatClaimCode(reward.claimCode),
        rewardId: reward.id,
        donationId: reward.donationId,
        kind: reward.kind,
        status: reward.status,
        claimExpiresAt: reward.claimExpiresAt?.toISOString() ?? null,
        handOver: { physicalStickerPacks: 1 },
      };
    },
  });

const officeStream = (ctx: RewardContext, streams: SseLimiter): Route =>
  defineRoute({
    operationId: 'streamOfficeEvents',
    method: 'get',
    path: '/offices/:officeId/events',
    summary: 'Server-sent events: the office’s stock and rewards whenever they change',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams,
    response: {
      status: 200,
      raw: true,
      contentType: 'text/event-stream',
      description: '`office` events: counters, waiting list, low-stock flag',
      schema: OfficeEvent,
    },
    handle: ({ params, req, res }) => {
      const { officeId } = params;
      assertOffice(req, officeId);
      const sse = streams.openSse(req, res);
      if (!sse) return;
      let last = '';
      // Read, not pushed: every replica's stream sees what any replica committed.
      const poll = new Ticker(
        async () => {
          try {
            const data = await officeLiveState(ctx, officeId);
            const json = JSON.stringify(data);
            if (json === last) return;
            last = json;
            sse.send('office', data, `${data.lastMovementId}.${data.rewardsChangedAt ?? ''}`);
          } catch {
            res.end(); // the database failed: end this stream only; the browser reconnects
          }
        },
        { name: 'office-stream', everyMs: ctx.settings.streamPollMs ?? 1000, runAtStart: true },
      );
      poll.start();
      void sse.closed.then(() => poll.stop());
    },
  });

export function officeRoutes(ctx: RewardContext, streams: SseLimiter): Route[] {
  return [counterReward(ctx), claimCode(ctx), officeStream(ctx, streams)];
}
