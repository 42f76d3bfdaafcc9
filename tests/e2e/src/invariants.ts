// The invariants every scenario ends with, read from the services' APIs and databases and
// compared with the Book (what the test sent):
//   1. every journal entry balances (GET /audit/verify + SQL on the ledger database)
//   2. fund totals and campaign totals = Σ succeeded − refunds − lost disputes (fees too)
//   3. exactly one reward decision per posted donation, a reward for each qualifying one,
//      revoked when reversed below the rule's minimum
//   4. every outbox row delivered (sent_at set) in all three databases, every event consumed
//      once (inbox ids = outbox ids of the types the consumer handles)
//   5. no DLQ message except the deliberate ones
import { TOPICS } from '@bfi/events';
import { withClient } from './postgres';
import { call } from './http';
import { Book, type Currency } from './book';
import { LONG } from './scale';
import { FUND, type Suite } from './suite';

export interface Figures {
  ledger: {
    entries: Record<string, number>;
    unbalancedEntries: number;
    entriesWithFewerThanTwoLines: number;
    audit: { ok: boolean; checked: number };
    parked: number;
  };
  fundTotals: Record<
    string,
    {
      gross: number;
      fees: number;
      refunds: number;
      disputesLost: number;
      net: number;
      count: number;
    }
  >;
  campaign: { raised: Record<string, number>; donors: number };
  rewards: {
    decisions: number;
    distinctDecisionDonations: number;
    rewarded: number;
    byStatus: Record<string, number>;
  };
  outbox: Record<'payment' | 'ledger' | 'reward', { total: number; unsent: number }>;
  consumed: {
    /** Payment events the ledger handles, and how many of them its inbox holds. */
    paymentEventsForLedger: number;
    ledgerInboxHits: number;
    ledgerEventsForReward: number;
    rewardInboxHits: number;
  };
  topic: {
    paymentMessages: number;
    paymentDistinctEvents: number;
    ledgerMessages: number;
    ledgerDistinctEvents: number;
  };
  dlq: { payment: number; ledger: number };
}

const LEDGER_HANDLES = [
  'payment.succeeded.v1',
  'payment.refunded.v1',
  'payment.disputed.v1',
  'payment.dispute-closed.v1',
];
const REWARD_HANDLES = ['ledger.donation-posted.v1', 'ledger.donation-reversed.v1'];

async function rows<T>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  return withClient(url, async (c) => (await c.query(sql, params)).rows as T[]);
}

const n = (v: unknown): number => Number(v);

function distinctIds(messages: { headers: Record<string, string>; value: string }[]): number {
  const ids = new Set<string>();
  for (const m of messages) {
    const id = m.headers['ce-id'] ?? (JSON.parse(m.value) as { id?: string }).id;
    if (id) ids.add(id);
  }
  return ids.size;
}

/** What violations() compares with the book: the figures plus who got which decision and reward. */
type Observed = Figures & {
  decisionIds: Set<string>;
  rewardRows: Map<string, { kind: string; status: string }>;
};

/** Reads every figure once (no waiting, no assertion). */
export async function readFigures(suite: Suite): Promise<Observed> {
  const ledger = await readLedger(suite);
  const { fundTotals, campaign } = await readTotals(suite);
  const rewards = await readRewards(suite.databases.reward);
  const outbox = await readOutbox(suite);
  const consumed = await exactlyOnce(suite);
  const { payment, ledger: ledgerTap, paymentDlq, ledgerDlq } = suite.taps;
  return {
    ledger,
    fundTotals,
    campaign,
    rewards: rewards.figures,
    outbox,
    consumed,
    topic: {
      paymentMessages: payment.messages.length,
      paymentDistinctEvents: distinctIds(payment.messages),
      ledgerMessages: ledgerTap.messages.length,
      ledgerDistinctEvents: distinctIds(ledgerTap.messages),
    },
    dlq: { payment: paymentDlq.messages.length, ledger: ledgerDlq.messages.length },
    decisionIds: rewards.decisionIds,
    rewardRows: rewards.rows,
  };
}

/** The journal's shape from SQL on the ledger database, and what the ledger's own audit says. */
async function readLedger(suite: Suite): Promise<Figures['ledger']> {
  const ledgerDb = suite.databases['pledge-ledger'];
  const [kinds, unbalanced, short, parked] = await Promise.all([
    rows<{ kind: string; n: string }>(
      ledgerDb,
      'SELECT kind, count(*) AS n FROM journal_entry GROUP BY kind',
    ),
    rows<{ n: string }>(
      ledgerDb,
      'SELECT count(*) AS n FROM (SELECT entry_id, currency FROM journal_line GROUP BY 1, 2 HAVING sum(amount_minor) <> 0) x',
    ),
    rows<{ n: string }>(
      ledgerDb,
      'SELECT count(*) AS n FROM journal_entry e WHERE (SELECT count(*) FROM journal_line l WHERE l.entry_id = e.id) < 2',
    ),
    rows<{ n: string }>(ledgerDb, 'SELECT count(*) AS n FROM parked_event'),
  ]);
  const audit = await call<{ ok: boolean; checked: number }>(`${suite.ledger.url}/audit/verify`, {
    key: suite.keys.finance,
    retryUnavailable: true,
  });
  return {
    entries: Object.fromEntries(kinds.map((k) => [k.kind, n(k.n)])),
    unbalancedEntries: n(unbalanced[0]?.n),
    entriesWithFewerThanTwoLines: n(short[0]?.n),
    audit: { ok: audit.body?.ok === true, checked: n(audit.body?.checked) },
    parked: n(parked[0]?.n),
  };
}

/** The fund's totals (as finance sees them) and the public campaign totals, by currency. */
async function readTotals(suite: Suite): Promise<Pick<Figures, 'fundTotals' | 'campaign'>> {
  const totals = await call<{ rows: (Figures['fundTotals'][string] & { currency: string })[] }>(
    `${suite.ledger.url}/funds/${FUND}/totals`,
    { key: suite.keys.finance, retryUnavailable: true },
  );
  const campaign = await call<{ raised: { currency: string; minor: number }[]; donors: number }>(
    `${suite.ledger.url}/campaign/totals`,
    { retryUnavailable: true },
  );
  return {
    fundTotals: Object.fromEntries(
      (totals.body?.rows ?? []).map(
        ({ currency, gross, fees, refunds, disputesLost, net, count }) => [
          currency,
          { gross, fees, refunds, disputesLost, net, count },
        ],
      ),
    ),
    campaign: {
      raised: Object.fromEntries((campaign.body?.raised ?? []).map((r) => [r.currency, r.minor])),
      donors: campaign.body?.donors ?? -1,
    },
  };
}

/** The reward database's decisions and rewards: counted, and by donation for the comparison. */
async function readRewards(rewardDb: string) {
  const [decisions, rewardRows] = await Promise.all([
    rows<{ donation_id: string }>(rewardDb, 'SELECT donation_id::text FROM decision'),
    rows<{ donation_id: string; kind: string; status: string }>(
      rewardDb,
      'SELECT donation_id::text, kind, status FROM reward',
    ),
  ]);
  const byStatus: Record<string, number> = {};
  for (const r of rewardRows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
  return {
    figures: {
      decisions: decisions.length,
      distinctDecisionDonations: new Set(decisions.map((d) => d.donation_id)).size,
      rewarded: rewardRows.length,
      byStatus,
    } satisfies Figures['rewards'],
    decisionIds: new Set(decisions.map((d) => d.donation_id)),
    rows: new Map(rewardRows.map((r) => [r.donation_id, { kind: r.kind, status: r.status }])),
  };
}

/** Each service's outbox: rows of its event topic, and rows not yet sent. */
async function readOutbox(suite: Suite): Promise<Figures['outbox']> {
  const db = suite.databases;
  const outbox = {} as Figures['outbox'];
  for (const [name, url, topic] of [
    ['payment', db.payment, TOPICS.payment],
    ['ledger', db['pledge-ledger'], TOPICS.ledger],
    ['reward', db.reward, TOPICS.reward],
  ] as const) {
    // total: the rows for the service's event topic (the ledger also writes ledger.funds);
    // unsent: every row, whatever its topic.
    const [r] = await rows<{ total: string; unsent: string }>(
      url,
      'SELECT count(*) FILTER (WHERE topic = $1) AS total, count(*) FILTER (WHERE sent_at IS NULL) AS unsent FROM outbox_event',
      [suite.namespace + topic],
    );
    outbox[name] = { total: n(r?.total), unsent: n(r?.unsent) };
  }
  return outbox;
}

/** Outbox event ids of the types a consumer handles vs the ids in its inbox. */
async function exactlyOnce(suite: Suite): Promise<Figures['consumed']> {
  const db = suite.databases;
  // The inbox key is the consumer group: prefixed by the topic namespace in the current services.
  const names = (consumer: string) => [consumer, suite.namespace + consumer];
  const outboxIds = (url: string, types: string[]) =>
    rows<{ id: string }>(url, 'SELECT id::text FROM outbox_event WHERE type = ANY($1)', [types]);
  const inboxIds = async (url: string, consumer: string) =>
    new Set(
      (
        await rows<{ id: string }>(
          url,
          'SELECT event_id::text AS id FROM inbox_event WHERE consumer = ANY($1)',
          [names(consumer)],
        )
      ).map((r) => r.id),
    );
  const paymentOut = await outboxIds(db.payment, LEDGER_HANDLES);
  const ledgerIn = await inboxIds(db['pledge-ledger'], 'pledge-ledger');
  const ledgerOut = await outboxIds(db['pledge-ledger'], REWARD_HANDLES);
  const rewardIn = await inboxIds(db.reward, 'reward');
  return {
    paymentEventsForLedger: paymentOut.length,
    ledgerInboxHits: paymentOut.filter((r) => ledgerIn.has(r.id)).length,
    ledgerEventsForReward: ledgerOut.length,
    rewardInboxHits: ledgerOut.filter((r) => rewardIn.has(r.id)).length,
  };
}

export interface Expectation {
  book: Book;
  /** Messages a scenario put on the DLQs on purpose. */
  dlq?: { payment?: number; ledger?: number };
}

type Check = (ok: boolean, what: string) => void;

/** Every mismatch between the figures and the expectation, as readable lines (empty = all hold). */
export function violations(f: Observed, e: Expectation): string[] {
  const out: string[] = [];
  const check: Check = (ok, what) => {
    if (!ok) out.push(what);
  };
  journalViolations(f, e.book, check);
  totalsViolations(f, e.book, check);
  rewardViolations(f, e.book, check);
  deliveryViolations(f, e, check);
  return out;
}

/** 1. Every entry balances, the audit agrees, one entry per succeeded gift, refund and loss. */
function journalViolations(f: Observed, book: Book, check: Check): void {
  const counts = book.counts();
  const { unbalancedEntries: unbalanced, entriesWithFewerThanTwoLines: short } = f.ledger;
  check(unbalanced === 0, `${unbalanced} journal entries do not balance`);
  check(short === 0, `${short} entries have < 2 lines`);
  const entryCount = Object.values(f.ledger.entries).reduce((a, b) => a + b, 0);
  check(
    f.ledger.audit.ok && f.ledger.audit.checked === entryCount,
    `audit/verify: ${JSON.stringify(f.ledger.audit)} for ${entryCount} entries`,
  );
  for (const [kind, want, what] of [
    ['donation', counts.succeeded, ' succeeded gifts'],
    ['refund', counts.refunds, ' refunds sent'],
    ['dispute-lost', counts.lostDisputes, ''],
  ] as const) {
    const got = f.ledger.entries[kind] ?? 0;
    check(got === want, `${kind} entries ${got} ≠ ${want}${what}`);
  }
  check(f.ledger.parked === 0, `${f.ledger.parked} payment events still parked`);
}

/** 2. The fund's and the campaign's totals in every currency are what the book adds up to. */
function totalsViolations(f: Observed, book: Book, check: Check): void {
  const expected = book.totals();
  const currencies = new Set<string>([...expected.keys(), ...Object.keys(f.fundTotals)]);
  for (const c of currencies) {
    const want = expected.get(c as Currency);
    const got = f.fundTotals[c];
    for (const field of ['gross', 'fees', 'refunds', 'disputesLost', 'net', 'count'] as const) {
      check(
        (got?.[field] ?? 0) === (want?.[field] ?? 0),
        `fund ${c} ${field}: ${got?.[field] ?? 0} ≠ expected ${want?.[field] ?? 0}`,
      );
    }
    check(
      (f.campaign.raised[c] ?? 0) === (want?.raised ?? 0),
      `campaign raised ${c}: ${f.campaign.raised[c] ?? 0} ≠ expected ${want?.raised ?? 0}`,
    );
  }
  const donors = [...expected.values()].reduce((s, t) => s + t.donors, 0);
  check(f.campaign.donors === donors, `campaign donors ${f.campaign.donors} ≠ expected ${donors}`);
}

/** 3. One decision per succeeded gift, and each expected reward of the right kind and status. */
function rewardViolations(f: Observed, book: Book, check: Check): void {
  const succeededIds = new Set(book.succeeded().map((g) => g.id));
  const missing = [...succeededIds].filter((id) => !f.decisionIds.has(id));
  const extra = [...f.decisionIds].filter((id) => !succeededIds.has(id));
  check(
    f.rewards.decisions === f.rewards.distinctDecisionDonations,
    'two decisions for one donation',
  );
  check(
    missing.length === 0 && extra.length === 0,
    `decisions: ${missing.length} succeeded gifts without one, ${extra.length} for gifts that did not succeed`,
  );
  const wantRewards = book.expectedRewards();
  check(
    f.rewardRows.size === wantRewards.size,
    `rewards: ${f.rewardRows.size} ≠ expected ${wantRewards.size}`,
  );
  let wrongStatus = 0;
  const examples: string[] = [];
  for (const [id, want] of wantRewards) {
    const got = f.rewardRows.get(id);
    if (!got || got.kind !== want.kind || got.status !== want.status) {
      wrongStatus += 1;
      if (examples.length < 3)
        examples.push(`${id}: ${JSON.stringify(got)} ≠ ${JSON.stringify(want)}`);
    }
  }
  check(
    wrongStatus === 0,
    `${wrongStatus} rewards of the wrong kind or status, e.g. ${examples.join('; ')}`,
  );
}

/** 4–5. Every outbox row sent and consumed once, each event on its topic, only deliberate DLQs. */
function deliveryViolations(f: Observed, e: Expectation, check: Check): void {
  for (const [name, o] of Object.entries(f.outbox))
    check(o.unsent === 0, `${name} outbox: ${o.unsent} of ${o.total} rows not sent`);
  check(
    f.consumed.ledgerInboxHits === f.consumed.paymentEventsForLedger,
    `ledger consumed ${f.consumed.ledgerInboxHits} of ${f.consumed.paymentEventsForLedger} payment events`,
  );
  check(
    f.consumed.rewardInboxHits === f.consumed.ledgerEventsForReward,
    `reward consumed ${f.consumed.rewardInboxHits} of ${f.consumed.ledgerEventsForReward} ledger events`,
  );
  for (const topic of ['payment', 'ledger'] as const) {
    const [distinct, { total }] = [f.topic[`${topic}DistinctEvents`], f.outbox[topic]];
    check(
      distinct === total,
      `${topic}.events carries ${distinct} distinct events, the outbox has ${total}`,
    );
  }
  for (const topic of ['payment', 'ledger'] as const) {
    const [got, deliberate] = [f.dlq[topic], e.dlq?.[topic] ?? 0];
    check(got === deliberate, `${topic}.events.dlq has ${got} messages, expected ${deliberate}`);
  }
}

/**
 * Waits until the whole system agrees with the book (the "recovered" state), then returns the
 * figures and how long that took. Throws with every remaining violation after the deadline.
 */
export async function awaitInvariants(
  suite: Suite,
  expectation: Expectation,
  timeoutMs = LONG ? 900_000 : 240_000,
): Promise<{ figures: Figures; recoverMs: number }> {
  const started = Date.now();
  let last: string[] = [];
  for (;;) {
    const figures = await readFigures(suite);
    last = violations(figures, expectation);
    if (last.length === 0) {
      const { decisionIds: _d, rewardRows: _r, ...plain } = figures;
      return { figures: plain, recoverMs: Date.now() - started };
    }
    if (Date.now() - started > timeoutMs) {
      suite.failed = true;
      throw new Error(
        `invariants still violated after ${timeoutMs / 1000}s (logs in ${suite.logDir}):\n- ${last.join('\n- ')}`,
      );
    }
    await new Promise((r) => setTimeout(r, 500));
  }
}
