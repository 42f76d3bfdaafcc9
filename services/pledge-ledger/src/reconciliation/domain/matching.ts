/**
 * Reconciliation matching: statement movements against ledger movements, by
 * (provider, type, provider reference). Both sides arrive SORTED by that key (and currency)
 * as streams, one row per key and currency; `mergeByKey` walks them together (a merge join),
 * so a run over millions of lines holds one key's rows in memory at a time.
 *
 * Keys are compared by UTF-16 code units, which for the printable-ASCII ids providers use
 * (checked at import) is the byte order of PostgreSQL's "C" collation the queries sort by.
 */

export const LINE_STATUSES = [
  'matched',
  'in-transit',
  'amount-mismatch',
  'fee-mismatch',
  'currency-mismatch',
  'missing-in-ledger',
  'missing-at-provider',
  'payout-mismatch',
] as const;
export type LineStatus = (typeof LINE_STATUSES)[number];

/** Statuses that need a person: everything but matched and in transit. */
export const DISCREPANCIES: readonly LineStatus[] = LINE_STATUSES.filter(
  (s) => s !== 'matched' && s !== 'in-transit',
);

export function isDiscrepancy(status: string): boolean {
  return (DISCREPANCIES as readonly string[]).includes(status);
}

export interface MatchKey {
  provider: string;
  type: string;
  ref: string;
}

/** A statement movement: the statement lines of one key in one currency, summed. */
export interface StatementSide extends MatchKey {
  currency: string;
  gross: number;
  fee: number;
  net: number;
  /** Every line of the key is in a payout. */
  inPayout: boolean;
  payoutId: string | null;
  /** The statement lines' own references (txn_…), comma-separated. */
  references: string;
  createdAt: string;
}

/** A ledger movement: the entries of one key in one currency, as the provider would see them. */
export interface LedgerSide extends MatchKey {
  currency: string;
  gross: number;
  fee: number;
  entries: number;
  fund: string | null;
  occurredAt: string;
}

export interface MatchPair {
  key: MatchKey;
  statement: StatementSide[];
  ledger: LedgerSide[];
}

export function compareKeys(a: MatchKey, b: MatchKey): number {
  return cmp(a.provider, b.provider) || cmp(a.type, b.type) || cmp(a.ref, b.ref);
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Consecutive rows with the same key, as one group (rows of one key differ by currency). */
async function* groups<T extends MatchKey>(rows: AsyncIterable<T>): AsyncGenerator<T[]> {
  let current: T[] = [];
  let last: T | undefined;
  for await (const row of rows) {
    if (last && compareKeys(last, row) > 0) {
      throw new Error(
        `rows are not sorted by key: ${JSON.stringify(keyOf(row))} after ${JSON.stringify(keyOf(last))}`,
      );
    }
    if (current.length > 0 && compareKeys(current[0]!, row) !== 0) {
      yield current;
      current = [];
    }
    current.push(row);
    last = row;
  }
  if (current.length > 0) yield current;
}

const keyOf = (k: MatchKey): MatchKey => ({ provider: k.provider, type: k.type, ref: k.ref });

/** Merge join of two key-sorted streams: every key of either side once, with both sides' rows. */
export async function* mergeByKey(
  statement: AsyncIterable<StatementSide>,
  ledger: AsyncIterable<LedgerSide>,
): AsyncGenerator<MatchPair> {
  const s = groups(statement);
  const l = groups(ledger);
  let a = await s.next();
  let b = await l.next();
  while (!a.done || !b.done) {
    const order = a.done ? 1 : b.done ? -1 : compareKeys(a.value[0]!, b.value[0]!);
    if (order === 0 && !a.done && !b.done) {
      yield { key: keyOf(a.value[0]!), statement: a.value, ledger: b.value };
      // One after the other: both streams may read through the same database connection.
      a = await s.next();
      b = await l.next();
    } else if (order < 0 && !a.done) {
      yield { key: keyOf(a.value[0]!), statement: a.value, ledger: [] };
      a = await s.next();
    } else if (!b.done) {
      yield { key: keyOf(b.value[0]!), statement: [], ledger: b.value };
      b = await l.next();
    }
  }
}

/** One classified key: what a reconciliation line records. */
export interface ReconLine extends MatchKey {
  status: LineStatus;
  statementCurrency: string | null;
  statementGross: number | null;
  statementFee: number | null;
  statementNet: number | null;
  statementRefs: string | null;
  ledgerCurrency: string | null;
  ledgerGross: number | null;
  ledgerFee: number | null;
  ledgerEntries: number;
  fund: string | null;
  payoutId: string | null;
  occurredAt: string | null;
  detail: string;
}

export interface ClassifyOptions {
  /** Providers whose balance is paid out in payouts that list their transactions (Stripe). */
  payoutProviders: readonly string[];
}

const nonZero = <T extends { gross: number; fee: number }>(rows: T[]) =>
  rows.filter((r) => r.gross !== 0 || r.fee !== 0);

function sumBy<T extends { currency: string }>(rows: T[], pick: (r: T) => number) {
  const m = new Map<string, number>();
  for (const r of rows) m.set(r.currency, (m.get(r.currency) ?? 0) + pick(r));
  return m;
}

const fmt = (m: Map<string, number>) => [...m].map(([c, v]) => `${v} ${c}`).join(' + ');

/**
 * The rules, in order: nothing on one side → missing; different currencies → currency
 * mismatch; different gross → amount mismatch; different fee → fee mismatch; otherwise
 * matched, or in transit when the money is not yet in a payout.
 */
export function classify(pair: MatchPair, options: ClassifyOptions): ReconLine {
  const s = nonZero(pair.statement);
  const l = nonZero(pair.ledger);
  const line = baseLine(pair, s, l);
  if (s.length === 0 && l.length === 0) {
    return { ...line, status: 'matched', detail: 'movements cancel out on both sides' };
  }
  if (l.length === 0)
    return {
      ...line,
      status: 'missing-in-ledger',
      detail: `the provider reports ${pair.key.type} ${pair.key.ref} (${fmt(sumBy(s, (r) => r.gross))}) but the ledger has no entry for it`,
    };
  if (s.length === 0)
    return {
      ...line,
      status: 'missing-at-provider',
      detail: `the ledger has ${pair.key.type} ${pair.key.ref} (${fmt(sumBy(l, (r) => r.gross))}) but no statement line reports it`,
    };
  const sg = sumBy(s, (r) => r.gross);
  const lg = sumBy(l, (r) => r.gross);
  const sameCurrencies = sg.size === lg.size && [...sg.keys()].every((c) => lg.has(c));
  if (!sameCurrencies)
    return {
      ...line,
      status: 'currency-mismatch',
      detail: `provider ${fmt(sg)}, ledger ${fmt(lg)}`,
    };
  for (const [c, v] of sg) {
    const w = lg.get(c)!;
    if (v !== w)
      return {
        ...line,
        status: 'amount-mismatch',
        detail: `gross ${v} ${c} at the provider, ${w} ${c} in the ledger (difference ${v - w})`,
      };
  }
  const sf = sumBy(s, (r) => r.fee);
  const lf = sumBy(l, (r) => r.fee);
  for (const [c, v] of sf) {
    const w = lf.get(c) ?? 0;
    if (v !== w)
      return {
        ...line,
        status: 'fee-mismatch',
        detail: `fee ${v} ${c} at the provider, ${w} ${c} in the ledger (difference ${v - w})`,
      };
  }
  const inTransit =
    options.payoutProviders.includes(pair.key.provider) &&
    pair.key.type !== 'payout' &&
    !s.every((r) => r.inPayout);
  return inTransit
    ? { ...line, status: 'in-transit', detail: 'matched; not yet paid out to the bank' }
    : { ...line, status: 'matched', detail: '' };
}

function baseLine(pair: MatchPair, s: StatementSide[], l: LedgerSide[]): ReconLine {
  const st = s[0] ?? pair.statement[0];
  const le = l[0] ?? pair.ledger[0];
  return {
    ...pair.key,
    status: 'matched',
    statementCurrency: st?.currency ?? null,
    statementGross: st ? sumFor(pair.statement, st.currency, (r) => r.gross) : null,
    statementFee: st ? sumFor(pair.statement, st.currency, (r) => r.fee) : null,
    statementNet: st ? sumFor(pair.statement, st.currency, (r) => r.net) : null,
    statementRefs: pair.statement.map((r) => r.references).join(',') || null,
    ledgerCurrency: le?.currency ?? null,
    ledgerGross: le ? sumFor(pair.ledger, le.currency, (r) => r.gross) : null,
    ledgerFee: le ? sumFor(pair.ledger, le.currency, (r) => r.fee) : null,
    ledgerEntries: pair.ledger.reduce((n, r) => n + r.entries, 0),
    fund: pair.ledger.find((r) => r.fund)?.fund ?? null,
    payoutId: pair.statement.find((r) => r.payoutId)?.payoutId ?? null,
    occurredAt: st?.createdAt ?? le?.occurredAt ?? null,
    detail: '',
  };
}

function sumFor<T extends { currency: string }>(
  rows: T[],
  currency: string,
  pick: (r: T) => number,
) {
  return rows.filter((r) => r.currency === currency).reduce((n, r) => n + pick(r), 0);
}

// ---- Payouts ------------------------------------------------------------------------------

export interface PayoutFacts {
  provider: string;
  payoutId: string;
  /** What the provider says it paid out (positive), from the payout object or its statement line. */
  amount: number;
  currency: string;
  arrivalDate: string;
  /** Sum of the net of the balance transactions the payout contains (its own line excluded). */
  memberNet: number | null;
  memberCount: number;
  memberCurrencies: string[];
  /** What the ledger posted to the bank for this payout (Dr bank), null when nothing. */
  bank: { amount: number; currency: string } | null;
}

/** A payout must equal the sum of its balance transactions and what the ledger put in the bank. */
export function checkPayout(p: PayoutFacts): ReconLine {
  const problems: string[] = [];
  if (p.memberCount === 0)
    problems.push('no imported balance transaction belongs to it (import it by payout)');
  else if (p.memberCurrencies.some((c) => c !== p.currency))
    problems.push(`it contains transactions in ${p.memberCurrencies.join(', ')}`);
  else if (p.memberNet !== p.amount)
    problems.push(
      `its ${p.memberCount} transactions sum to ${p.memberNet} ${p.currency}, not ${p.amount}`,
    );
  if (p.bank === null) problems.push('the ledger has no bank entry for it (POST /payouts)');
  else if (p.bank.currency !== p.currency || p.bank.amount !== p.amount)
    problems.push(`the bank entry is ${p.bank.amount} ${p.bank.currency}`);
  return {
    provider: p.provider,
    type: 'payout-check',
    ref: p.payoutId,
    status: problems.length === 0 ? 'matched' : 'payout-mismatch',
    statementCurrency: p.currency,
    statementGross: p.amount,
    statementFee: 0,
    statementNet: p.memberNet,
    statementRefs: null,
    ledgerCurrency: p.bank?.currency ?? null,
    ledgerGross: p.bank?.amount ?? null,
    ledgerFee: null,
    ledgerEntries: p.bank ? 1 : 0,
    fund: null,
    payoutId: p.payoutId,
    occurredAt: p.arrivalDate,
    detail:
      problems.length === 0
        ? `payout of ${p.amount} ${p.currency} = its ${p.memberCount} transactions = the bank entry`
        : `payout of ${p.amount} ${p.currency}: ${problems.join('; ')}`,
  };
}

/** Lines per status, all statuses present (0 when none). */
export function summarize(counts: Map<string, number>): Record<LineStatus, number> {
  return Object.fromEntries(LINE_STATUSES.map((s) => [s, counts.get(s) ?? 0])) as Record<
    LineStatus,
    number
  >;
}
