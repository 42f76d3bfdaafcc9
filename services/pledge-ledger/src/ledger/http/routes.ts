import {
  defineRoute,
  principalOf,
  publicRateLimit,
  reply,
  type Route,
  type SseLimiter,
} from '@bfi/http';
import type { CampaignFeed } from '../app/campaign-feed';
import type { DeadLetterDesk } from '../app/dead-letters';
import type { LedgerDeps } from '../app/deps';
import { addFund, changeFundStatus, fundList, fundTotalsReport } from '../app/funds';
import { auditChain, parkedEvents, publicTotals, readJournal } from '../app/journal';
import { postPayout } from '../app/payouts';
import { givingRoutes } from './giving-routes';
import {
  AuditReportView,
  CampaignTotalsView,
  DeadLetterList,
  FundList,
  FundTotalsView,
  FundView,
  JournalPage,
  ParkedList,
  PostedPayout,
  ReplayResultView,
} from './responses';
import {
  CreateFundBody,
  FundSlugParam,
  FundStatusBody,
  JournalQuery,
  PayoutBody,
  ReplayBody,
  TotalsQuery,
} from './schemas';

export interface RouteDeps extends LedgerDeps {
  campaign: CampaignFeed;
  deadLetters: DeadLetterDesk;
  /** The service's one gate for live streams (caps, maximum age, retry). */
  streams: SseLimiter;
}

const finance = ['finance'] as const;
const tags = ['ledger'];

/** The public thermometer: the totals and their live stream (rate-limited, no key). */
function campaignRoutes(deps: RouteDeps): Route[] {
  const publicLimit = publicRateLimit();
  return [
    defineRoute({
      operationId: 'getCampaignTotals',
      method: 'get',
      path: '/campaign/totals',
      summary: 'Public: raised per currency and donors count',
      tags,
      access: 'public',
      before: [publicLimit],
      response: { status: 200, description: 'Campaign totals', schema: CampaignTotalsView },
      problems: { 429: 'Too many requests from this client' },
      handle: async () =>
        reply(await publicTotals(deps.db), { headers: { 'cache-control': 'public, max-age=2' } }),
    }),
    defineRoute({
      operationId: 'streamCampaignTotals',
      method: 'get',
      path: '/campaign/totals/stream',
      summary: 'Public: server-sent events ("totals") whenever the campaign totals change',
      description:
        'Resume: the totals are a snapshot, so a reconnecting client (Last-Event-ID = the version it saw) simply gets the current totals first, like a new one.',
      tags,
      access: 'public',
      before: [publicLimit],
      response: {
        status: 200,
        raw: true,
        contentType: 'text/event-stream',
        description: 'One `totals` event now, then one on every change',
        schema: CampaignTotalsView,
      },
      problems: { 429: 'Too many streams or requests from this client' },
      handle: async ({ req, res }) => {
        const stream = deps.streams.openSse(req, res);
        if (!stream) return;
        const unsubscribe = await deps.campaign.subscribe((totals) =>
          stream.send('totals', totals, String(totals.version)),
        );
        await stream.closed;
        unsubscribe();
      },
    }),
  ];
}

function fundRoutes(deps: RouteDeps): Route[] {
  return [
    defineRoute({
      operationId: 'listFunds',
      method: 'get',
      path: '/funds',
      summary: 'List funds',
      tags,
      access: finance,
      response: { status: 200, description: 'Funds', schema: FundList },
      handle: () => fundList(deps.db),
    }),
    defineRoute({
      operationId: 'createFund',
      method: 'post',
      path: '/funds',
      summary: 'Create a fund',
      tags,
      access: finance,
      body: CreateFundBody,
      response: { status: 201, description: 'Created', schema: FundView },
      problems: { 409: 'A fund with this slug exists' },
      handle: async ({ body }) =>
        reply(await addFund(deps, body), { headers: { location: `/funds/${body.slug}` } }),
    }),
    defineRoute({
      operationId: 'setFundStatus',
      method: 'patch',
      path: '/funds/:fund',
      summary:
        'Close a fund (payment refuses new gifts; gifts already charged still post) or reopen it',
      tags,
      access: finance,
      params: FundSlugParam,
      body: FundStatusBody,
      response: { status: 200, description: 'The fund', schema: FundView },
      problems: { 404: 'No such fund' },
      handle: ({ params, body }) => changeFundStatus(deps, params.fund, body.status),
    }),
    defineRoute({
      operationId: 'getFundTotals',
      method: 'get',
      path: '/funds/:fund/totals',
      summary:
        'Fund totals: gross, fees, refunds, disputes held, net, count (per currency and group)',
      tags,
      access: finance,
      params: FundSlugParam,
      query: TotalsQuery,
      response: { status: 200, description: 'Totals', schema: FundTotalsView },
      problems: { 404: 'No such fund' },
      handle: ({ params, query }) => fundTotalsReport(deps.db, params.fund, query),
    }),
  ];
}

function journalRoutes(deps: RouteDeps): Route[] {
  return [
    defineRoute({
      operationId: 'listJournalEntries',
      method: 'get',
      path: '/journal',
      summary:
        'Journal entries with their lines, in chain order, by fund, period, donation or provider ref (keyset pagination: pass nextCursor as cursor)',
      tags,
      access: finance,
      query: JournalQuery,
      response: { status: 200, description: 'A page of entries', schema: JournalPage },
      handle: ({ query: q }) =>
        readJournal(deps.db, {
          from: q.from,
          to: q.to,
          fund: q.fund,
          donationId: q.donation,
          providerRef: q.providerRef,
          after: q.cursor,
          limit: q.limit,
        }),
    }),
    defineRoute({
      operationId: 'verifyAuditChain',
      method: 'get',
      path: '/audit/verify',
      summary: 'Walk the hash chain and report the first break',
      tags,
      access: finance,
      response: { status: 200, description: 'Audit report', schema: AuditReportView },
      handle: () => auditChain(deps.db),
    }),
    defineRoute({
      operationId: 'listParkedEvents',
      method: 'get',
      path: '/parked',
      summary: 'Events waiting for the event they depend on (e.g. refund before payment)',
      tags,
      access: finance,
      response: { status: 200, description: 'Parked events', schema: ParkedList },
      handle: () => parkedEvents(deps.db),
    }),
    defineRoute({
      operationId: 'postPayout',
      method: 'post',
      path: '/payouts',
      summary: 'Post a provider payout to the bank (Dr bank / Cr clearing)',
      tags,
      access: finance,
      body: PayoutBody,
      response: { status: 201, description: 'Posted', schema: PostedPayout },
      problems: { 409: 'This payout is already posted' },
      handle: ({ body }) => postPayout(deps.db, body),
    }),
  ];
}

function deadLetterRoutes(deps: RouteDeps): Route[] {
  const noStore = { 'cache-control': 'no-store' };
  return [
    defineRoute({
      operationId: 'listDeadLetters',
      method: 'get',
      path: '/dead-letters',
      summary:
        'Dead-lettered events of every consumer: reason, error, source, event id/type/subject, replayed or not',
      tags: ['dead letters'],
      access: finance,
      response: { status: 200, description: 'Dead letters', schema: DeadLetterList },
      handle: async () => reply(await deps.deadLetters.list(), { headers: noStore }),
    }),
    defineRoute({
      operationId: 'replayDeadLetters',
      method: 'post',
      path: '/dead-letters/replay',
      summary:
        'Send one dead letter ({id}) or every one not replayed yet ({all:true}) back to its topic; inboxes dedupe',
      tags: ['dead letters'],
      access: finance,
      body: ReplayBody,
      response: { status: 200, description: 'What was replayed', schema: ReplayResultView },
      problems: { 404: 'No such dead letter' },
      handle: async ({ body, req }) => {
        const which = 'id' in body ? { id: body.id } : { all: true as const };
        return reply(await deps.deadLetters.replay(which, principalOf(req).name), {
          headers: noStore,
        });
      },
    }),
  ];
}

/** Every endpoint of the ledger module, in mount order. */
export function ledgerRoutes(deps: RouteDeps): Route[] {
  return [
    ...campaignRoutes(deps),
    ...fundRoutes(deps),
    ...givingRoutes(deps),
    ...journalRoutes(deps),
    ...deadLetterRoutes(deps),
  ];
}
