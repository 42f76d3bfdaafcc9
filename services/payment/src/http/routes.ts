import {
  assertOffice,
  donorSecretOf,
  keyedRateLimit,
  mountRouteTable,
  parseInput,
  principalOf,
  publicRateLimit,
  requireRole,
  SseLimiter,
} from '@bfi/http';
import type { Express, Request, Response } from 'express';
import type { AppDeps } from '../app/deps';
import { createDonation, getDonation, refundDonation } from '../app/donations';
import {
  createIntent,
  createOffice,
  createPoint,
  inspectPointToken,
  listOffices,
  listPoints,
  posterLink,
  posterQr,
  postersPdf,
  requirePoint,
  setOfficeDisabled,
  setPointDisabled,
} from '../app/points';
import { captureOnReturn } from '../app/paypal-return';
import { intentStatus } from '../app/intents';
import { handlePayPalWebhook } from '../app/paypal-webhook';
import { handleStripeWebhook } from '../app/stripe-webhook';
import { staffView, toView, type DonationView } from '../app/view';
import { buildOpenApi } from './openapi';
import { mountReceiptMailRoutes } from './receipt-mail-routes';
import { subscriptionRoutes } from './subscription-routes';
import {
  createDonationSchema,
  IdempotencyKeySchema,
  IntentIdParam,
  intentSchema,
  OfficeIdParam,
  OfficeSchema,
  PointIdParam,
  PointSchema,
  refundSchema,
  UuidParam,
} from './schemas';

function param(req: Request, name: string): string {
  return String(req.params[name] ?? '');
}

/** Every id in a path goes through its shared schema before it can reach the database. */
const officeParam = (req: Request) => parseInput(OfficeIdParam, param(req, 'id'), 'office id');
const pointParam = (req: Request) =>
  parseInput(PointIdParam, param(req, 'id'), 'donation point id');

function headerRecord(req: Request): Record<string, string | undefined> {
  return Object.fromEntries(
    Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
  );
}

export function mountRoutes(app: Express, deps: AppDeps): void {
  const { config } = deps;
  const publicLimit = publicRateLimit({ limit: config.publicRateLimit });
  const webhookLimit = publicRateLimit({ limit: config.webhookRateLimit });
  const streamLimit = keyedRateLimit({ limit: config.streamRateLimit });
  const streams = new SseLimiter(config.sse);
  const donationBody = createDonationSchema(config.maxDonationMinor, config.defaultFund);
  const openapi = buildOpenApi(config);

  app.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });
  mountReceiptMailRoutes(app, deps);
  mountRouteTable(app, subscriptionRoutes(deps));

  // --- Donations (public) ---
  app.post('/donations', publicLimit, async (req, res) => {
    const key = parseInput(
      IdempotencyKeySchema,
      req.get('idempotency-key'),
      'Idempotency-Key header',
    );
    const body = parseInput(donationBody, req.body ?? {}, 'donation');
    const result = await createDonation(deps, key, {
      amount: { minor: body.amount, currency: body.currency },
      fund: body.fund,
      provider: body.provider,
      donorName: body.donorName ?? null,
      donorEmail: body.donorEmail ?? null,
      pointToken: body.pointToken ?? null,
      ...(body.locale ? { locale: body.locale } : {}),
      ...(body.frequency === 'monthly' ? { frequency: body.frequency } : {}),
    });
    res
      .status(result.replayed ? 200 : 201)
      .location(`/donations/${result.donation.id}`)
      .json({ ...result.donation, donorSecret: result.donorSecret });
  });

  app.get('/donations/:id', publicLimit, async (req, res) => {
    res.json(await getDonation(deps, parseInput(UuidParam, param(req, 'id'), 'donation id')));
  });

  app.get('/donations/:id/events', publicLimit, async (req, res) => {
    const current = await getDonation(deps, parseInput(UuidParam, param(req, 'id'), 'donation id'));
    // Resume: the current state is sent first, whatever the client saw last.
    stream(
      streams,
      req,
      res,
      async () => [current],
      (send) => deps.notifier.onDonation(current.id, send),
    );
  });

  // The donor's return from PayPal: capture now (once, however often it and the webhook ask).
  app.post('/donations/:id/paypal-return', publicLimit, async (req, res) => {
    const id = parseInput(UuidParam, param(req, 'id'), 'donation id');
    res.json(await captureOnReturn(deps, id, donorSecretOf(req)));
  });

  app.post('/donations/:id/refunds', requireRole('finance'), async (req, res) => {
    const id = parseInput(UuidParam, param(req, 'id'), 'donation id');
    const body = parseInput(refundSchema(config.maxDonationMinor), req.body ?? {}, 'refund');
    res
      .status(201)
      .json(await refundDonation(deps, id, body.amount, req.get('idempotency-key') ?? undefined));
  });

  // --- Webhooks (public, verified) ---
  app.post('/webhooks/stripe', webhookLimit, async (req, res) => {
    res.json(
      await handleStripeWebhook(deps, req.rawBody, req.get('stripe-signature') ?? undefined),
    );
  });

  app.post('/webhooks/paypal', webhookLimit, async (req, res) => {
    res.json(await handlePayPalWebhook(deps, headerRecord(req), req.body, req.rawBody));
  });

  // --- Offices and donation points ---
  app.post('/offices', requireRole('admin'), async (req, res) => {
    res
      .status(201)
      .json(await createOffice(deps, parseInput(OfficeSchema, req.body ?? {}, 'office')));
  });
  app.get('/offices', requireRole('admin', 'finance'), async (_req, res) => {
    res.json(await listOffices(deps));
  });
  app.post('/offices/:id/disable', requireRole('admin'), async (req, res) => {
    res.json(await setOfficeDisabled(deps, officeParam(req), true));
  });
  app.post('/offices/:id/points', requireRole('admin'), async (req, res) => {
    const point = await createPoint(
      deps,
      officeParam(req),
      parseInput(PointSchema, req.body ?? {}, 'donation point'),
    );
    res.status(201).json({ ...point, posterUrl: posterLink(deps, point) });
  });
  app.get('/offices/:id/points', async (req, res) => {
    assertOffice(req, officeParam(req));
    const points = await listPoints(deps, officeParam(req));
    res.json(points.map((p) => ({ ...p, posterUrl: posterLink(deps, p) })));
  });
  app.get('/offices/:id/posters.pdf', async (req, res) => {
    assertOffice(req, officeParam(req));
    res.type('application/pdf').send(await postersPdf(deps, officeParam(req)));
  });
  app.get('/offices/:id/donations', async (req, res) => {
    assertOffice(req, officeParam(req));
    const rows = await deps.db.donation.findMany({
      where: { officeId: officeParam(req) },
      include: { payment: true },
      orderBy: { createdAt: 'desc' },
      take: 100,
    });
    res.json(rows.map((row) => staffView(toView(row))));
  });
  app.get('/offices/:id/events', streamLimit, async (req, res) => {
    const officeId = officeParam(req);
    assertOffice(req, officeId);
    // Resume: the office's donations changed after the Last-Event-ID (an updatedAt) come first.
    stream(
      streams,
      req,
      res,
      (lastEventId) => changedSince(deps, officeId, lastEventId),
      (send) => deps.notifier.onOffice(officeId, (view) => send(staffView(view))),
    );
  });
  app.post('/donation-points/:id/disable', requireRole('admin'), async (req, res) => {
    res.json(await setPointDisabled(deps, pointParam(req), true));
  });
  app.get('/donation-points/:id/qr.png', publicLimit, async (req, res) => {
    res.type('image/png').send(await posterQr(deps, pointParam(req), 'png'));
  });
  app.get('/donation-points/:id/qr.svg', publicLimit, async (req, res) => {
    res.type('image/svg+xml').send(await posterQr(deps, pointParam(req), 'svg'));
  });
  // The donate page asks what a poster or counter QR stands for before the donor pays.
  app.get('/point-tokens/:token', publicLimit, async (req, res) => {
    res.set('cache-control', 'no-store').json(await inspectPointToken(deps, param(req, 'token')));
  });
  app.post('/donation-points/:id/intents', async (req, res) => {
    principalOf(req);
    const point = await requirePoint(deps, pointParam(req));
    assertOffice(req, point.officeId);
    const body = parseInput(intentSchema(config.maxDonationMinor), req.body ?? {}, 'counter QR');
    res
      .status(201)
      .json(await createIntent(deps, point, { minor: body.amount, currency: body.currency }));
  });
  intentRoutes(app, deps);
}

/** The office console follows a counter QR it made (staff of the point's office). */
function intentRoutes(app: Express, deps: AppDeps): void {
  app.get('/donation-points/:id/intents/:intentId', async (req, res) => {
    principalOf(req);
    const point = await requirePoint(deps, pointParam(req));
    assertOffice(req, point.officeId);
    const jti = parseInput(IntentIdParam, param(req, 'intentId'), 'counter QR id');
    res.json(await intentStatus(deps, point.id, jti));
  });
}

/** Office donations changed after `since` (an event id the stream sent), oldest first. */
async function changedSince(
  deps: AppDeps,
  officeId: string,
  since: string | undefined,
): Promise<DonationView[]> {
  const after = since ? new Date(since) : null;
  if (!after || Number.isNaN(after.getTime())) return [];
  const rows = await deps.db.donation.findMany({
    where: { officeId, updatedAt: { gt: after } },
    include: { payment: true },
    orderBy: { updatedAt: 'asc' },
    take: 100,
  });
  return rows.map((row) => staffView(toView(row)));
}

/**
 * An SSE stream (through the service's one SseLimiter): what `initial` gives for the client's
 * Last-Event-ID first, then every change until the client leaves or the stream's age is up.
 * Each event's id is the donation's updatedAt.
 */
function stream(
  streams: SseLimiter,
  req: Request,
  res: Response,
  initial: (lastEventId: string | undefined) => Promise<DonationView[]>,
  subscribe: (send: (v: DonationView) => void) => () => void,
): void {
  const sse = streams.openSse(req, res);
  if (!sse) return;
  // The change feed may bring the state this stream started with again, or (read just before a
  // commit) an older one: send each state once, and never one older than what was sent.
  const last = new Map<string, { json: string; at: number }>();
  const send = (view: DonationView) => {
    const json = JSON.stringify(view);
    const at = Date.parse(view.updatedAt);
    const before = last.get(view.id);
    if (before && (before.json === json || before.at > at)) return;
    last.set(view.id, { json, at });
    sse.send('status', view, view.updatedAt);
  };
  const unsubscribe = subscribe(send);
  void sse.closed.then(unsubscribe);
  void initial(sse.lastEventId).then(
    (views) => views.forEach(send),
    () => res.end(), // the database failed: end this stream only; the browser reconnects
  );
}
