// What the finance console asks of the services, as the signed-in person (their token goes
// along, so each service checks the finance role itself). Non-2xx answers are returned, never
// thrown: the pages show the service's `detail` in words.
import type { ApiAnswer } from './api';
import type { PersonApi } from './person-api';

export interface Fund {
  slug: string;
  name: string;
  restricted: boolean;
  feePolicy: 'fund' | 'general';
  description: string | null;
  status: 'open' | 'closed';
  version: number;
}

export interface TotalsRow {
  group?: string | null;
  currency: string;
  gross: number;
  fees: number;
  refunds: number;
  disputesHeld: number;
  net: number;
  count: number;
}

export type GroupBy = 'currency' | 'channel' | 'office' | 'day';

export interface Period {
  from?: string;
  to?: string;
}

export interface JournalLine {
  lineNo: number;
  account: string;
  fund: string | null;
  currency: string;
  amount: number;
}

export interface JournalEntry {
  id: string;
  seq: number;
  kind: string;
  donationId: string | null;
  fund: string | null;
  channel: string | null;
  officeId: string | null;
  provider: string | null;
  providerRef: string | null;
  description: string;
  occurredAt: string;
  hash: string;
  lines: JournalLine[];
}

export interface JournalFilter extends Period {
  fund?: string;
  donation?: string;
  providerRef?: string;
  cursor?: string;
}

export interface RunProgress {
  phase: 'matching' | 'payouts' | 'done';
  processed: number;
  total?: number;
  updatedAt: string;
}

export interface Run {
  id: string;
  from: string;
  to: string;
  provider: string | null;
  status: 'running' | 'completed' | 'failed';
  progress: RunProgress | null;
  summary: { lines: number; discrepancies: number; counts: Record<string, number> } | null;
  error: string | null;
  createdBy: string | null;
  startedAt: string;
  finishedAt: string | null;
  csvSha256: string | null;
}

export interface ReconLine {
  lineNo: number;
  provider: string;
  type: string;
  ref: string;
  status: string;
  statementGross: number | null;
  ledgerGross: number | null;
  statementCurrency: string | null;
  ledgerCurrency: string | null;
  fund: string | null;
  detail: string;
  resolution: Resolution | null;
}

export interface Resolution {
  id: string;
  action: 'accept' | 'correct' | 'reopen';
  comment: string;
  correctionEntryId: string | null;
  resolvedBy: string;
  resolvedAt: string;
}

export interface StatementImport {
  id: string;
  provider: string;
  source: string;
  /** Period asked for (API) or file name (upload). */
  detail: string;
  inserted: number;
  unchanged: number;
  updated: number;
  skipped: number;
  createdAt: string;
  createdBy: string | null;
}

export interface ImportResult {
  inserted: number;
  unchanged: number;
  updated: number;
  skipped: number;
}

export interface FlaggedReward {
  rewardId: string;
  donationId: string;
  kind: string;
  officeId: string | null;
  handedOutAt: string | null;
  handedOutBy: string | null;
  revokedAt: string | null;
  reason: string | null;
  gross: { minor: number; currency: string };
  reversed: { minor: number; currency: string };
}

export interface DeadLetter {
  id: string;
  topic: string;
  reason: string;
  error: string;
  consumer: string | null;
  failedAt: string | null;
  event: { id: string | null; type: string | null; subject: string | null };
  replayedAt: string | null;
  replayedBy: string | null;
}

export interface AuditReport {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string };
  firstBreak: { seq: number; entryId: string; problem: string; detail: string } | null;
}

export interface PaymentView {
  id: string;
  status: string;
  amount: { minor: number; currency: string };
  refunded: { minor: number; currency: string };
  fund: string;
  provider: string;
  channel: string;
  officeId: string | null;
  providerRefs: Record<string, string>;
  createdAt: string;
  updatedAt: string;
}

export interface DonationStory {
  payment: ApiAnswer<PaymentView>;
  entries: ApiAnswer<{ entries: JournalEntry[] }>;
  reward: ApiAnswer<{ kind: string; status: string; officeId: string | null }>;
}

/** `?a=1&b=2` of the defined values. */
export function query(params: Record<string, string | number | undefined | null>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  const s = q.toString();
  return s ? `?${s}` : '';
}

const seg = encodeURIComponent;

function fundsAndJournal(api: PersonApi) {
  return {
    funds: () => api.call<{ funds: Fund[] }>('ledger', 'GET', '/funds'),
    createFund: (body: Omit<Fund, 'status' | 'version'>) =>
      api.call<Fund>('ledger', 'POST', '/funds', body),
    setFundStatus: (slug: string, status: 'open' | 'closed') =>
      api.call<Fund>('ledger', 'PATCH', `/funds/${seg(slug)}`, { status }),
    totals: (fund: string, groupBy: GroupBy, p: Period) =>
      api.call<{ rows: TotalsRow[] }>(
        'ledger',
        'GET',
        `/funds/${seg(fund)}/totals${query({ groupBy, from: p.from, to: p.to })}`,
      ),
    journal: (f: JournalFilter, limit = 25) =>
      api.call<{ entries: JournalEntry[]; nextCursor: string | null }>(
        'ledger',
        'GET',
        `/journal${query({ ...f, limit })}`,
      ),
    story: async (donationId: string): Promise<DonationStory> => {
      const [payment, entries, reward] = await Promise.all([
        api.call<PaymentView>('payment', 'GET', `/donations/${seg(donationId)}`),
        api.call<{ entries: JournalEntry[] }>(
          'ledger',
          'GET',
          `/journal${query({ donation: donationId, limit: 500 })}`,
        ),
        api.call<{ kind: string; status: string; officeId: string | null }>(
          'reward',
          'GET',
          `/rewards/by-donation/${seg(donationId)}`,
        ),
      ]);
      return { payment, entries, reward };
    },
    refund: (donationId: string, amountMinor?: number) =>
      api.call<PaymentView>(
        'payment',
        'POST',
        `/donations/${seg(donationId)}/refunds`,
        amountMinor === undefined ? {} : { amount: amountMinor },
      ),
  };
}

/** Starts a run and answers at once (202); the run page then shows its progress. */
async function startRun(api: PersonApi, p: Required<Period>, provider: 'stripe' | 'paypal' | null) {
  const res = await api.raw('ledger', '/reconciliation/runs', {
    method: 'POST',
    headers: { 'content-type': 'application/json', prefer: 'respond-async' },
    body: JSON.stringify({ from: p.from, to: p.to, provider }),
  });
  const body = (await res.json().catch(() => ({}))) as Run & { detail?: string };
  return { ok: res.ok, status: res.status, body, detail: res.ok ? null : (body.detail ?? null) };
}

function reconciliation(api: PersonApi) {
  return {
    imports: () => api.call<{ imports: StatementImport[] }>('ledger', 'GET', '/statements/imports'),
    importStatement: (provider: 'stripe' | 'paypal', p: Required<Period>) =>
      api.call<ImportResult>('ledger', 'POST', '/statements/import', {
        provider,
        from: p.from,
        to: p.to,
      }),
    runs: () => api.call<{ runs: Run[] }>('ledger', 'GET', '/reconciliation/runs'),
    run: (id: string) => api.call<Run>('ledger', 'GET', `/reconciliation/runs/${seg(id)}`),
    startRun: (p: Required<Period>, provider: 'stripe' | 'paypal' | null) =>
      startRun(api, p, provider),
    lines: (runId: string, status?: string, cursor?: string) =>
      api.call<{ lines: ReconLine[]; nextCursor: string | null }>(
        'ledger',
        'GET',
        `/reconciliation/runs/${seg(runId)}/lines${query({
          discrepancies: status ? undefined : 'true',
          status,
          cursor,
          limit: 50,
        })}`,
      ),
    /** One stored line of a run (the page after line lineNo - 1). */
    line: (runId: string, lineNo: number) =>
      api.call<{ lines: ReconLine[] }>(
        'ledger',
        'GET',
        `/reconciliation/runs/${seg(runId)}/lines${query({ cursor: lineNo - 1, limit: 1 })}`,
      ),
    resolutions: (runId: string, lineNo: number) =>
      api.call<{ resolutions: Resolution[] }>(
        'ledger',
        'GET',
        `/reconciliation/runs/${seg(runId)}/lines/${lineNo}/resolutions`,
      ),
    resolve: (
      runId: string,
      lineNo: number,
      body: { action: string; comment: string; fund?: string },
    ) =>
      api.call<Resolution>(
        'ledger',
        'POST',
        `/reconciliation/runs/${seg(runId)}/lines/${lineNo}/resolution`,
        body,
      ),
  };
}

function operations(api: PersonApi) {
  return {
    flagged: () =>
      api.call<{ rewards: FlaggedReward[] }>('reward', 'GET', '/finance/flagged-rewards'),
    deadLetters: () => api.call<{ deadLetters: DeadLetter[] }>('ledger', 'GET', '/dead-letters'),
    replay: (id: string | 'all') =>
      api.call<{ replayed: DeadLetter[]; skipped: number }>(
        'ledger',
        'POST',
        '/dead-letters/replay',
        id === 'all' ? { all: true } : { id },
      ),
    verify: () => api.call<AuditReport>('ledger', 'GET', '/audit/verify'),
  };
}

export function financeApi(api: PersonApi) {
  return { ...fundsAndJournal(api), ...reconciliation(api), ...operations(api) };
}

export type FinanceApi = ReturnType<typeof financeApi>;
