// The campaign and donate pages.
import express, { type Express, type Request, type Response } from 'express';
import { Apis, ApiUnavailable, type PointToken } from '../app/api';
import { blankForm, readDonateForm } from '../app/donate-form';
import { thermometer, type ThermometerView } from '../app/present';
import type { WebConfig } from '../config';
import type { Money } from '@bfi/money';
import { translator } from '../i18n';
import { campaignPage } from '../views/campaign';
import { donatePage, type DonateState } from '../views/donate';
import { pageContext, sendPage } from './context';
import { mountCoverFee, withFeeEstimate } from './cover-fee-routes';
import { rememberManageToken } from './monthly-pages';
import { relaySse } from './sse-relay';
import type { Logger } from 'pino';
import type { SseLimiter } from '@bfi/http';

export interface PageDeps {
  config: WebConfig;
  apis: Apis;
  logger: Logger;
  goal: Money;
  /** This server's own gate for the live streams it relays (caps, maximum age, retry). */
  streams: SseLimiter;
}

type PointLookup = { point: PointToken | null; refusal: string | null };

async function lookUpPoint(apis: Apis, token: string): Promise<PointLookup> {
  if (!token) return { point: null, refusal: null };
  const answer = await apis.pointToken(token);
  if (answer.ok) return { point: answer.body, refusal: null };
  return { point: null, refusal: answer.detail ?? 'This QR code cannot be used.' };
}

export function mountDonorPages(app: Express, deps: PageDeps): void {
  mountCampaign(app, deps);
  mountCoverFee(app, deps);
  mountDonate(app, deps);
}

/** The campaign page and its live thermometer stream. */
function mountCampaign(app: Express, deps: PageDeps): void {
  const { apis, config } = deps;
  app.get('/', async (req: Request, res: Response) => {
    const ctx = pageContext(req, res, config.counsellingUrl);
    let therm: ThermometerView | null = null;
    try {
      const totals = await apis.campaignTotals();
      if (totals.ok) therm = thermometer(totals.body, deps.goal, ctx.locale, ctx.t);
    } catch (err) {
      // The page still tells what the campaign is and leads to Donate without the figures.
      deps.logger.warn({ err }, 'campaign totals unavailable');
    }
    sendPage(res, 200, campaignPage(ctx, therm));
  });

  app.get('/campaign/stream', async (req: Request, res: Response) => {
    const locale = pageContext(req, res, config.counsellingUrl).locale;
    const t = translator(locale);
    await relaySse(
      req,
      res,
      apis.campaignStreamUrl(),
      (event, data) =>
        event === 'totals'
          ? { event: 'totals', data: thermometer(data as never, deps.goal, locale, t) }
          : null,
      deps.logger,
      deps.streams,
    );
  });
}

/** The donate page: GET shows it (with a QR's office), POST starts the payment. */
function mountDonate(app: Express, deps: PageDeps): void {
  const { apis, config } = deps;
  app.get('/donate', async (req: Request, res: Response) => {
    const ctx = pageContext(req, res, config.counsellingUrl);
    const token = typeof req.query.point === 'string' ? req.query.point : '';
    const { point, refusal } = await lookUpPoint(apis, token);
    const currency = (point?.amount?.currency ?? 'BYN') as 'BYN';
    const state: DonateState = {
      form: blankForm(currency, point ? token : ''),
      point,
      pointRefusal: refusal,
      errors: {},
      serverDetail: null,
    };
    sendPage(res, refusal ? 410 : 200, donatePage(ctx, await withFeeEstimate(apis, state)));
  });

  app.post(
    '/donate',
    express.urlencoded({ extended: false, limit: '10kb' }),
    async (req: Request, res: Response) => {
      const ctx = pageContext(req, res, config.counsellingUrl);
      const token = typeof req.body?.point === 'string' ? req.body.point : '';
      const { point, refusal } = await lookUpPoint(apis, token);
      const parsed = readDonateForm(req.body, refusal ? null : point, ctx.t);
      const base = { point, pointRefusal: refusal, serverDetail: null };
      // Shown again after submit with the estimate for what was sent (pages without script).
      const again = async (status: number, state: DonateState) =>
        sendPage(res, status, donatePage(ctx, await withFeeEstimate(apis, state)));
      if (!parsed.ok) return again(400, { ...base, form: parsed.form, errors: parsed.errors });
      if (refusal)
        return sendPage(res, 410, donatePage(ctx, { ...base, form: parsed.form, errors: {} }));
      let answer;
      try {
        answer = await apis.createDonation(parsed.form.idem, {
          ...parsed.request,
          locale: ctx.locale,
        });
      } catch (err) {
        if (!(err instanceof ApiUnavailable)) throw err;
        deps.logger.error({ err }, 'payment unavailable');
        answer = null;
      }
      if (answer?.ok) rememberManageToken(req, res, answer.body);
      if (answer?.ok && answer.body.redirectUrl) return res.redirect(303, answer.body.redirectUrl);
      // Refused: show the API's own words; a new key, since the donor will change something.
      const form = { ...parsed.form, idem: blankForm().idem };
      const detail = answer?.detail ?? ctx.t('donate.errors.unavailable');
      await again(answer && answer.status < 500 ? 422 : 503, {
        ...base,
        form,
        errors: {},
        serverDetail: detail,
      });
    },
  );
}
