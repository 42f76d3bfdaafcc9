import {
  badRequest,
  mountRouteTable,
  conflict,
  notFound,
  type SseLimiter,
  parseInput,
  publicRateLimit,
  requireRole,
} from '@bfi/http';
import type { Logger } from '@bfi/messaging';
import type { Express, Request, Response } from 'express';
import type { Currency } from '@bfi/money';
import { payoutPosting } from '../domain';
import { verifyChain } from '../db/audit';
import type { Db } from '../db/client';
import { createFund, findFund, listFunds } from '../db/funds-repo';
import { mountFundStatusRoute } from './fund-routes';
import { givingRoutes } from './giving-routes';
import { journalPage } from '../db/journal-query';
import { appendEntries, entryExists } from '../db/journal-repo';
import { campaignTotals, fundTotals } from '../db/totals-repo';
import type { CampaignFeed } from './campaign-feed';
import { openApiDocument } from './openapi';
import {
  CreateFundBody,
  decodeCursor,
  encodeCursor,
  FundSlugParam,
  JournalQuery,
  PayoutBody,
  TotalsQuery,
} from './schemas';

export interface RouteDeps {
  db: Db;
  campaign: CampaignFeed;
  logger: Logger;
  /** The service's one gate for live streams (caps, maximum age, retry). */
  streams: SseLimiter;
  /** Topic namespace of the events a fund change announces. */
  namespace: string;
  /** After a commit that wrote to the outbox: publish now, not at the next poll. */
  onCommitted: () => void;
}

const finance = requireRole('finance');

export function mountRoutes(app: Express, deps: RouteDeps): void {
  const { db } = deps;
  const publicLimit = publicRateLimit();

  app.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });

  app.get('/campaign/totals', publicLimit, async (_req, res) => {
    res.set('cache-control', 'public, max-age=2').json(await campaignTotals(db));
  });

  app.get('/campaign/totals/stream', publicLimit, async (req: Request, res: Response) => {
    // Resume: the totals are a snapshot, so a reconnecting client (Last-Event-ID = the version
    // it saw) simply gets the current totals first, like a new one.
    const stream = deps.streams.openSse(req, res);
    if (!stream) return;
    const unsubscribe = await deps.campaign.subscribe((totals) =>
      stream.send('totals', totals, String(totals.version)),
    );
    await stream.closed;
    unsubscribe();
  });

  app.get('/funds', finance, async (_req, res) => {
    res.json({ funds: await listFunds(db) });
  });

  app.post('/funds', finance, async (req, res) => {
    const body = parseInput(CreateFundBody, req.body);
    if (!(await createFund(db, body, deps.namespace)))
      throw conflict(`A fund with slug "${body.slug}" already exists.`);
    deps.onCommitted();
    res
      .status(201)
      .location(`/funds/${body.slug}`)
      .json({ ...body, status: 'open', version: 1 });
  });

  mountFundStatusRoute(app, deps);
  mountRouteTable(app, givingRoutes(deps));

  app.get('/funds/:fund/totals', finance, async (req, res) => {
    const { fund } = parseInput(FundSlugParam, req.params, 'path');
    const q = parseInput(TotalsQuery, req.query, 'query');
    if (!(await findFund(db, fund)))
      throw notFound(`There is no fund "${fund}". GET /funds lists the funds.`);
    const rows = await fundTotals(db, { fund, groupBy: q.groupBy, from: q.from, to: q.to });
    res.json({
      fund,
      from: q.from ?? null,
      to: q.to ?? null,
      groupBy: q.groupBy,
      amountsIn: 'minor units',
      rows,
    });
  });

  app.get('/journal', finance, async (req, res) => {
    const q = parseInput(JournalQuery, req.query, 'query');
    const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor);
    if (after === null)
      throw badRequest('Invalid query: cursor: must be the nextCursor of a previous page');
    const page = await journalPage(db, {
      from: q.from,
      to: q.to,
      fund: q.fund,
      donationId: q.donation,
      providerRef: q.providerRef,
      after,
      limit: q.limit,
    });
    res.json({
      entries: page.entries,
      nextCursor: page.nextAfter === null ? null : encodeCursor(page.nextAfter),
    });
  });

  app.get('/audit/verify', finance, async (_req, res) => {
    res.json(await verifyChain(db));
  });

  app.get('/parked', finance, async (_req, res) => {
    const rows = await db.parkedEvent.findMany({ orderBy: { seq: 'asc' }, take: 1000 });
    res.json({
      parked: rows.map((r) => ({
        eventId: r.eventId,
        donationId: r.donationId,
        type: r.type,
        reason: r.reason,
        parkedAt: r.parkedAt,
        // Refused on replay: on its way to the dead-letter topic (gone from here within a second).
        refusedAt: r.refusedAt,
      })),
    });
  });

  app.post('/payouts', finance, async (req, res) => {
    const body = parseInput(PayoutBody, req.body);
    const draft = payoutPosting({
      ...body,
      amount: { minor: body.amount.minor, currency: body.amount.currency as Currency },
      occurredAt: body.occurredAt.toISOString(),
    });
    const posted = await db.$transaction(async (tx) => {
      if (await entryExists(tx, draft.idempotencyKey)) return null;
      return appendEntries(tx, [draft], null);
    });
    if (posted === null)
      throw conflict(`Payout ${body.payoutId} from ${body.provider} is already posted.`);
    res.status(201).json({ entryId: posted[0]?.id, seq: posted[0]?.seq });
  });
}
