// The thank-you page and what it loads: live status, reward, claim QR, receipt; digital packs.
import { Readable } from 'node:stream';
import express, { type Express, type Request, type Response } from 'express';
import { ApiUnavailable, type Donation } from '../app/api';
import { receiptPdf } from '../app/receipt';
import { translator } from '../i18n';
import { errorPage, packPage } from '../views/pages';
import { isPaid, rewardFragment, statusText, thanksPage } from '../views/thanks';
import type { PageContext } from '../views/layout';
import { donorSecret, pageContext, sendPage } from './context';
import type { PageDeps } from './donor-pages';
import { manageSection } from './monthly-pages';
import { relaySse } from './sse-relay';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function donationId(req: Request): string | null {
  const id = String(req.params.id ?? '');
  return UUID.test(id) ? id : null;
}

async function loadDonation(deps: PageDeps, id: string | null): Promise<Donation | null> {
  if (!id) return null;
  const answer = await deps.apis.donation(id);
  if (answer.status === 404) return null;
  if (!answer.ok) throw new ApiUnavailable(`payment answered ${answer.status}`);
  return answer.body;
}

/** The reward part, or null while the reward service has not decided yet (it follows the payment). */
async function rewardHtml(deps: PageDeps, ctx: PageContext, d: Donation, secret: string) {
  const answer = await deps.apis.reward(d.id, secret);
  if (answer.status === 404) return null;
  if (!answer.ok) return null;
  const reward = (answer.body as { status?: string }).status === 'none' ? null : answer.body;
  return rewardFragment(ctx, {
    donationId: d.id,
    reward,
    secret,
    officeName: d.officeName ?? null,
  });
}

/**
 * PayPal sends the donor back to this page with `token` (the order) and `PayerID` once they
 * approved: payment captures now, so the page shows the outcome at once. The webhook may do the
 * same at the same moment; payment captures and books once. Any refusal leaves the page as it
 * was (pending, then the live status).
 */
async function backFromPayPal(
  deps: PageDeps,
  req: Request,
  d: Donation,
  secret: string,
): Promise<Donation> {
  const approved = typeof req.query.PayerID === 'string' && typeof req.query.token === 'string';
  if (!approved || !secret || d.provider !== 'paypal' || d.status !== 'pending') return d;
  try {
    const answer = await deps.apis.paypalReturn(d.id, secret);
    return answer.ok ? answer.body : d;
  } catch (err) {
    if (!(err instanceof ApiUnavailable)) throw err;
    deps.logger.warn({ err, donationId: d.id }, 'PayPal return capture not reached');
    return d;
  }
}

function notFound(ctx: PageContext, res: Response): void {
  sendPage(res, 404, errorPage(ctx, ctx.t('thanks.notFound')));
}

export function mountThanksPages(app: Express, deps: PageDeps): void {
  mountThankYou(app, deps);
  mountStatusAndReceipt(app, deps);
  mountDigitalPacks(app, deps);
}

/** The page, its reward part and the claim QR. */
function mountThankYou(app: Express, deps: PageDeps): void {
  const { config } = deps;
  app.get('/thanks/:id', async (req: Request, res: Response) => {
    const ctx = pageContext(req, res, config.counsellingUrl);
    const found = await loadDonation(deps, donationId(req));
    if (!found) return notFound(ctx, res);
    const secret = donorSecret(req);
    const d = await backFromPayPal(deps, req, found, secret);
    const paid = isPaid(d.status);
    const reward = paid ? await rewardHtml(deps, ctx, d, secret).catch(() => null) : null;
    const monthly = manageSection(ctx, req, d);
    sendPage(res, 200, thanksPage(ctx, { donation: d, secret, reward, monthly }));
  });

  app.get('/thanks/:id/reward', async (req: Request, res: Response) => {
    const ctx = pageContext(req, res, config.counsellingUrl);
    const d = await loadDonation(deps, donationId(req));
    if (!d) return notFound(ctx, res);
    const fragment = await rewardHtml(deps, ctx, d, donorSecret(req));
    // 204: not decided yet, the page asks again in a moment.
    if (!fragment) return res.status(204).set('cache-control', 'no-store').end();
    res.type('html').set('cache-control', 'no-store').send(fragment.value);
  });

  app.get('/thanks/:id/claim-qr.png', async (req: Request, res: Response) => {
    const id = donationId(req);
    if (!id) return res.status(404).end();
    const upstream = await deps.apis.rewardQr(id, donorSecret(req));
    res.status(upstream.status).set('cache-control', 'no-store');
    res.type(upstream.headers.get('content-type') ?? 'application/octet-stream');
    if (!upstream.body) return res.end();
    Readable.fromWeb(upstream.body as never).pipe(res);
  });
}

/** The live status stream and the receipt PDF. */
function mountStatusAndReceipt(app: Express, deps: PageDeps): void {
  const { config } = deps;
  app.get('/thanks/:id/events', async (req: Request, res: Response) => {
    const id = donationId(req);
    const locale = pageContext(req, res, config.counsellingUrl).locale;
    if (!id) return res.status(404).end();
    const t = translator(locale);
    await relaySse(
      req,
      res,
      deps.apis.donationStreamUrl(id),
      (event, data) => {
        if (event !== 'status') return null;
        const status = String((data as { status?: unknown }).status);
        return { event: 'status', data: { status, text: statusText(t, status) } };
      },
      deps.logger,
      deps.streams,
    );
  });

  app.get('/thanks/:id/receipt.pdf', async (req: Request, res: Response) => {
    const ctx = pageContext(req, res, config.counsellingUrl);
    const d = await loadDonation(deps, donationId(req));
    if (!d) return notFound(ctx, res);
    if (!d.receipt) return sendPage(res, 409, errorPage(ctx, ctx.t('receipt.notReady')));
    const pdf = await receiptPdf({
      donation: { ...d, receipt: d.receipt },
      locale: ctx.locale,
      counsellingUrl: config.counsellingUrl,
    });
    res
      .type('application/pdf')
      .set('cache-control', 'private, no-store')
      .attachment(`receipt-${d.receipt.number}.pdf`)
      .send(pdf);
  });
}

function mountDigitalPacks(app: Express, deps: PageDeps): void {
  const { config } = deps;
  app.get('/packs/:code', (req: Request, res: Response) => {
    const ctx = pageContext(req, res, config.counsellingUrl);
    sendPage(
      res,
      200,
      packPage(ctx, { code: String(req.params.code), downloadUrl: null, refusal: null }),
    );
  });

  app.post(
    '/packs/:code',
    express.urlencoded({ extended: false, limit: '1kb' }),
    async (req: Request, res: Response) => {
      const ctx = pageContext(req, res, config.counsellingUrl);
      const code = String(req.params.code);
      const answer = await deps.apis.claimDigitalPack(code);
      sendPage(
        res,
        answer.ok ? 200 : answer.status,
        packPage(ctx, {
          code,
          downloadUrl: answer.ok ? answer.body.downloadUrl : null,
          refusal: answer.ok ? null : (answer.detail ?? ctx.t('errors.unavailable')),
        }),
      );
    },
  );
}
