import { z } from 'zod';
import { DonationIdSchema, IdSchema, NonEmptyStringSchema, OfficeIdSchema } from './common';

// Reward events, published by services/reward.
export const RewardKindSchema = z.enum(['physical-sticker-pack', 'digital-sticker-pack']);
export type RewardKind = z.infer<typeof RewardKindSchema>;

/**
 * available: waiting to be claimed; waiting-list: physical pack, office out of stock;
 * handed-out: claimed; revoked: taken back before it was claimed; flagged: revoked after
 * it was claimed — finance has to look at it.
 */
export const RewardStatusSchema = z.enum([
  'available',
  'waiting-list',
  'handed-out',
  'revoked',
  'flagged',
]);
export type RewardStatus = z.infer<typeof RewardStatusSchema>;

const rewardBase = {
  rewardId: IdSchema,
  donationId: DonationIdSchema,
  kind: RewardKindSchema,
  officeId: OfficeIdSchema,
};

function requireOfficeForPhysical(
  v: { kind: RewardKind; officeId: string | null },
  ctx: z.RefinementCtx,
): void {
  if (v.kind === 'physical-sticker-pack' && v.officeId === null) {
    ctx.addIssue({
      code: 'custom',
      message: 'a physical sticker pack must name the office that hands it out',
      path: ['officeId'],
    });
  }
}

export const RewardUnlockedV1 = z
  .strictObject({ ...rewardBase, status: z.enum(['available', 'waiting-list']) })
  .superRefine(requireOfficeForPhysical);

export const RewardHandedOutV1 = z
  .strictObject({
    ...rewardBase,
    status: z.literal('handed-out'),
    /** Staff member who redeemed the claim code; null for a digital pack delivered online. */
    handedOutBy: NonEmptyStringSchema.max(128).nullable(),
  })
  .superRefine((v, ctx) => {
    requireOfficeForPhysical(v, ctx);
    if (v.kind === 'physical-sticker-pack' && v.handedOutBy === null) {
      ctx.addIssue({
        code: 'custom',
        message: 'a physical sticker pack must name the staff member who handed it out',
        path: ['handedOutBy'],
      });
    }
  });

export const RewardRevokedV1 = z
  .strictObject({
    ...rewardBase,
    status: z.enum(['revoked', 'flagged']),
    reason: z.enum(['refund', 'dispute-lost']),
    /** Claimed before the revocation: cannot be taken back, so it is flagged for finance. */
    wasClaimed: z.boolean(),
  })
  .superRefine((v, ctx) => {
    requireOfficeForPhysical(v, ctx);
    if ((v.status === 'flagged') !== v.wasClaimed) {
      ctx.addIssue({
        code: 'custom',
        message: 'must be "flagged" exactly when wasClaimed is true, otherwise "revoked"',
        path: ['status'],
      });
    }
  });
