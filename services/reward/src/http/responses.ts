// Response schemas: what each endpoint answers (documented in /openapi.json, and checked against
// every answer outside production, so the suite proves the document).
import { z } from 'zod';

const Instant = z.iso.datetime({ offset: true });
const MaybeInstant = Instant.nullable();
const Count = z.int().min(0);
const Money = z.object({ minor: z.int(), currency: z.string() });

export const StaffReward = z.object({
  rewardId: z.uuid(),
  donationId: z.uuid(),
  status: z.string(),
  claimCodeHint: z.string().describe('The claim code masked, e.g. "7K••-••QH"'),
  reservedAt: MaybeInstant,
  claimExpiresAt: MaybeInstant,
  handedOutAt: MaybeInstant,
  handedOutBy: z.string().nullable(),
  createdAt: Instant,
});

export const CounterReward = z.object({
  donationId: z.uuid(),
  outcome: z.string(),
  reason: z.string(),
  reward: StaffReward.extend({ kind: z.string(), fallback: z.boolean() }).nullable(),
});

export const ClaimCodeInfo = z.object({
  code: z.string(),
  rewardId: z.uuid(),
  donationId: z.uuid(),
  kind: z.string(),
  status: z.string(),
  claimExpiresAt: MaybeInstant,
  handOver: z.object({ physicalStickerPacks: z.int() }),
});

export const OfficeEvent = z.object({
  officeId: z.string(),
  available: Count,
  reserved: Count,
  onShelf: Count,
  waitingList: Count,
  lastMovementId: z.string(),
  rewardsChangedAt: MaybeInstant,
  lowStock: z.boolean(),
  lowStockThreshold: z.int(),
});

export const PendingHandouts = z.object({
  officeId: z.string(),
  readyToHandOut: z.array(StaffReward),
  waitingForStock: z.array(StaffReward),
});

export const Redeemed = z.object({
  rewardId: z.uuid(),
  donationId: z.uuid(),
  kind: z.string(),
  status: z.string(),
  officeId: z.string().nullable(),
  handedOutAt: MaybeInstant,
  handedOutBy: z.string().nullable(),
  message: z.string(),
});

export const Handouts = z.object({ officeId: z.string(), handouts: z.array(StaffReward) });

export const Movement = z.object({
  id: z.string().describe('Ledger line id (a 64-bit integer as text)'),
  officeId: z.string(),
  kind: z.string(),
  availableDelta: z.int(),
  reservedDelta: z.int(),
  rewardId: z.uuid().nullable(),
  reason: z.string().nullable(),
  actor: z.string(),
  createdAt: Instant,
});

const Counters = z.object({ officeId: z.string(), available: Count, reserved: Count });

export const OfficeStock = Counters.extend({
  onShelf: Count,
  lowStock: z.boolean(),
  lowStockThreshold: z.int(),
  ledger: z.object({ available: z.int(), reserved: z.int() }),
  recentMovements: z.array(Movement),
});

export const Movements = z.object({ officeId: z.string(), movements: z.array(Movement) });

export const StockChange = z.object({
  stock: Counters,
  difference: z.int().optional().describe('Counted minus the books (counts only)'),
  servedFromWaitingList: z.array(z.uuid()),
});

const HelpResources = z.object({ childHelpline: z.string(), counselling: z.string() });

export const DonorReward = z.union([
  z.object({
    donationId: z.uuid(),
    status: z.literal('none'),
    message: z.string(),
    helpResources: HelpResources,
  }),
  z.object({
    rewardId: z.uuid(),
    donationId: z.uuid(),
    kind: z.string(),
    status: z.string(),
    fallback: z.boolean(),
    officeId: z.string().nullable(),
    claimCode: z.string().nullable().describe('In full only with the donor secret'),
    claimCodeHint: z.string().nullable(),
    claimExpiresAt: MaybeInstant,
    qr: z.object({ png: z.string(), svg: z.string() }).nullable(),
    digitalPackLink: z.string().nullable(),
    message: z.string(),
    helpResources: HelpResources,
  }),
]);

export const DigitalPackClaim = z.object({
  rewardId: z.uuid(),
  donationId: z.uuid(),
  status: z.string(),
  downloadUrl: z.string(),
  message: z.string(),
});

export const RuleView = z.object({
  id: z.uuid(),
  campaign: z.string(),
  channel: z.string(),
  fund: z.string().nullable(),
  kind: z.string(),
  outOfStock: z.string(),
  priority: z.int(),
  activeFrom: Instant,
  activeUntil: MaybeInstant,
  minimums: z.record(z.string(), z.int()),
  createdAt: Instant,
});

export const Rules = z.object({ rules: z.array(RuleView) });

export const StockOverview = z.object({
  offices: z.array(
    z.object({
      officeId: z.string(),
      available: Count,
      reserved: Count,
      waitingList: Count,
      handedOut: Count,
      digitalFallbacks: Count,
      lastMovementAt: MaybeInstant,
      lowStock: z.boolean(),
      lowStockThreshold: z.int(),
    }),
  ),
  totals: z.object({ available: Count, reserved: Count, waitingList: Count }),
});

export const FlaggedRewards = z.object({
  rewards: z.array(
    z.object({
      rewardId: z.uuid(),
      donationId: z.uuid(),
      kind: z.string(),
      officeId: z.string().nullable(),
      handedOutAt: MaybeInstant,
      handedOutBy: z.string().nullable(),
      revokedAt: MaybeInstant,
      reason: z.string().nullable(),
      gross: Money,
      reversed: Money,
    }),
  ),
});
