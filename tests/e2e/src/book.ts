// What the test itself sent, kept as it sends it: the expected figures the invariants are
// checked against are computed from this, never read back from the services.
import { RULES } from './suite';

export type Currency = 'BYN' | 'USD' | 'EUR';

export interface Gift {
  id: string;
  provider: 'stripe' | 'paypal';
  currency: Currency;
  amount: number;
  channel: 'online' | 'office';
  officeId: string | null;
  succeeded: boolean;
  fee: number;
  refunds: { id: string; amount: number }[];
  /** Amount taken back by lost disputes. */
  lost: number;
  /** Staff handed the physical pack out before any reversal. */
  handedOut: boolean;
}

export interface CurrencyTotals {
  gross: number;
  fees: number;
  refunds: number;
  disputesLost: number;
  net: number;
  count: number;
  /** Campaign thermometer: gross − refunds − lost disputes. */
  raised: number;
  /** Donations not fully refunded or lost. */
  donors: number;
}

export class Book {
  readonly gifts = new Map<string, Gift>();

  add(gift: Omit<Gift, 'succeeded' | 'fee' | 'refunds' | 'lost' | 'handedOut'>): Gift {
    const full: Gift = {
      ...gift,
      succeeded: false,
      fee: 0,
      refunds: [],
      lost: 0,
      handedOut: false,
    };
    this.gifts.set(full.id, full);
    return full;
  }

  get(id: string): Gift {
    const gift = this.gifts.get(id);
    if (!gift) throw new Error(`the book has no gift ${id}`);
    return gift;
  }

  succeeded(): Gift[] {
    return [...this.gifts.values()].filter((g) => g.succeeded);
  }

  totals(): Map<Currency, CurrencyTotals> {
    const out = new Map<Currency, CurrencyTotals>();
    for (const g of this.succeeded()) {
      const t = out.get(g.currency) ?? {
        gross: 0,
        fees: 0,
        refunds: 0,
        disputesLost: 0,
        net: 0,
        count: 0,
        raised: 0,
        donors: 0,
      };
      const refunded = g.refunds.reduce((s, r) => s + r.amount, 0);
      t.gross += g.amount;
      t.fees += g.fee;
      t.refunds += refunded + g.lost;
      t.disputesLost += g.lost;
      t.count += 1;
      t.net = t.gross - t.fees - t.refunds;
      t.raised = t.gross - t.refunds;
      if (refunded + g.lost < g.amount) t.donors += 1;
      out.set(g.currency, t);
    }
    return out;
  }

  /** The rule the reward service should pick, or null: no reward. */
  static ruleFor(
    g: Pick<Gift, 'channel' | 'currency' | 'amount'>,
  ): { kind: string; minimum: number } | null {
    if (g.channel === 'office' && g.amount >= RULES.officePhysical[g.currency]) {
      return { kind: 'physical-sticker-pack', minimum: RULES.officePhysical[g.currency] };
    }
    if (g.amount >= RULES.digital[g.currency])
      return { kind: 'digital-sticker-pack', minimum: RULES.digital[g.currency] };
    return null;
  }

  /** Expected reward status per qualifying donation: revoked (or flagged once handed out) when what is left is below the rule's minimum. */
  expectedRewards(): Map<string, { kind: string; status: string }> {
    const out = new Map<string, { kind: string; status: string }>();
    for (const g of this.succeeded()) {
      const rule = Book.ruleFor(g);
      if (!rule) continue;
      const left = g.amount - g.refunds.reduce((s, r) => s + r.amount, 0) - g.lost;
      const reversed = left < rule.minimum;
      const status = reversed
        ? g.handedOut
          ? 'flagged'
          : 'revoked'
        : g.handedOut
          ? 'handed-out'
          : 'available';
      out.set(g.id, { kind: rule.kind, status });
    }
    return out;
  }

  counts(): { gifts: number; succeeded: number; refunds: number; lostDisputes: number } {
    const s = this.succeeded();
    return {
      gifts: this.gifts.size,
      succeeded: s.length,
      refunds: s.reduce((n, g) => n + g.refunds.length, 0),
      lostDisputes: s.filter((g) => g.lost > 0).length,
    };
  }
}
