import { withNet, type FundTotals } from '../domain';
import { toNumber, type Db } from '../../db/client';

export type GroupBy = 'currency' | 'channel' | 'office' | 'day';

// Whitelisted SQL for each grouping (never user text in SQL).
const GROUP_SQL: Record<GroupBy, string> = {
  currency: 'NULL::text',
  channel: 'e.channel',
  office: 'e.office_id',
  day: `to_char(e.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
};

export interface TotalsQuery {
  fund: string;
  /** Inclusive lower bound on when the money moved (occurred_at). */
  from?: Date;
  /** Exclusive upper bound. */
  to?: Date;
  groupBy: GroupBy;
}

export type FundTotalsRow = FundTotals & { group?: string | null };

interface RawRow {
  grp: string | null;
  currency: string;
  gross: bigint;
  fees: bigint;
  covered_fees: bigint;
  refunds: bigint;
  disputes_lost: bigint;
  disputes_held: bigint;
  count: bigint;
}

/**
 * Fund totals straight from the journal lines (no separate balances to drift from them):
 *   gross         credits to the fund account by donation entries (and reconciliation
 *                 corrections of payments: a correction moves gross, never the donation count)
 *   fees          debits to fee accounts whose fund dimension is this fund (fee entries and corrections)
 *   coveredFees   credits to fee-cover accounts whose fund dimension is this fund (donors' fee cover)
 *   refunds       debits to the fund account by refunds + debits to disputes-held by lost disputes
 *   disputesHeld  net credit of the fund's disputes-held account
 */
export async function fundTotals(db: Db, q: TotalsQuery): Promise<FundTotalsRow[]> {
  const rows = await db.$queryRawUnsafe<RawRow[]>(
    `SELECT ${GROUP_SQL[q.groupBy]} AS grp, l.currency,
       COALESCE(sum(-l.amount_minor) FILTER (WHERE e.kind IN ('donation', 'correction') AND l.account_type = 'fund'), 0)::bigint AS gross,
       COALESCE(sum(l.amount_minor) FILTER (WHERE e.kind IN ('fee', 'correction') AND l.account_type = 'fees'), 0)::bigint AS fees,
       COALESCE(sum(-l.amount_minor) FILTER (WHERE l.account_type = 'fee-cover'), 0)::bigint AS covered_fees,
       COALESCE(sum(l.amount_minor) FILTER (WHERE (e.kind = 'refund' AND l.account_type = 'fund')
                                            OR (e.kind = 'dispute-lost' AND l.account_type = 'disputes-held')), 0)::bigint AS refunds,
       COALESCE(sum(l.amount_minor) FILTER (WHERE e.kind = 'dispute-lost' AND l.account_type = 'disputes-held'), 0)::bigint AS disputes_lost,
       COALESCE(sum(-l.amount_minor) FILTER (WHERE l.account_type = 'disputes-held'), 0)::bigint AS disputes_held,
       count(*) FILTER (WHERE e.kind = 'donation' AND l.account_type = 'fund') AS count
     FROM journal_line l JOIN journal_entry e ON e.id = l.entry_id
     WHERE l.fund = $1
       AND ($2::timestamptz IS NULL OR e.occurred_at >= $2::timestamptz)
       AND ($3::timestamptz IS NULL OR e.occurred_at < $3::timestamptz)
     GROUP BY 1, 2
     ORDER BY 1 NULLS FIRST, 2`,
    q.fund,
    q.from ?? null,
    q.to ?? null,
  );
  return rows.map((r) => {
    const totals = withNet({
      currency: r.currency,
      gross: toNumber(r.gross),
      fees: toNumber(r.fees),
      coveredFees: toNumber(r.covered_fees),
      refunds: toNumber(r.refunds),
      disputesLost: toNumber(r.disputes_lost),
      disputesHeld: toNumber(r.disputes_held),
      count: toNumber(r.count),
    });
    return q.groupBy === 'currency' ? totals : { group: r.grp, ...totals };
  });
}

export interface CampaignTotals {
  /** Per currency: donations minus refunds and lost disputes, in minor units. */
  raised: { currency: string; minor: number }[];
  /** Donations not fully refunded or reversed (donors are anonymous: one donation, one donor). */
  donors: number;
  /** Chain position the figures were read at; changes whenever the ledger does. */
  version: number;
  updatedAt: string;
}

/** The public thermometer: no personal data, only sums and a count. */
export async function campaignTotals(db: Db): Promise<CampaignTotals> {
  const raised = await db.$queryRaw<{ currency: string; minor: bigint }[]>`
    SELECT currency, sum(-amount_minor)::bigint AS minor FROM journal_line
    WHERE account_type IN ('fund', 'disputes-held') GROUP BY currency ORDER BY currency`;
  const [donors] = await db.$queryRaw<{ n: bigint }[]>`
    SELECT count(*) AS n FROM ledger_donation WHERE refunded_minor + lost_minor < gross_minor`;
  return {
    raised: raised.map((r) => ({ currency: r.currency, minor: toNumber(r.minor) })),
    donors: toNumber(donors?.n ?? 0n),
    version: await chainVersion(db),
    updatedAt: new Date().toISOString(),
  };
}

/** Cheap change detector for the SSE stream: the chain head's seq. */
export async function chainVersion(db: Db): Promise<number> {
  const head = await db.chainHead.findUnique({ where: { id: 1 } });
  return head ? toNumber(head.seq) : 0;
}
