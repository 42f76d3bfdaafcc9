// Office console: pending hand-outs, redemption, stock. Staff act only for their own office.
import { assertOffice, parseInput, requireRole } from '@bfi/http';
import type { Express, Request } from 'express';
import { countersOf, ledgerTotals, movementsOf } from '../db/stock-repo';
import { handOutHistory, officeRewards } from '../db/rewards-repo';
import type { RewardContext } from '../app/context';
import { expireOverdue } from '../app/expire';
import { redeemClaimCode } from '../app/redeem';
import { adjustStock, countStock, receiveDelivery } from '../app/stock';
import {
  AdjustmentBody,
  CountBody,
  DeliveryBody,
  ListQuery,
  MovementsQuery,
  OfficeParams,
  RedeemBody,
} from './schemas';
import { lowStockOf } from './office-routes';
import { movementView, redeemedView, staffRewardView } from './views';

function office(req: Request): { officeId: string; staff: string } {
  const { officeId } = parseInput(OfficeParams, req.params, 'path');
  const principal = assertOffice(req, officeId);
  return { officeId, staff: principal.name };
}

export function staffRoutes(app: Express, ctx: RewardContext): void {
  const staff = requireRole('office-staff');

  app.get('/offices/:officeId/pending-handouts', staff, async (req, res) => {
    const { officeId } = office(req);
    const { limit } = parseInput(ListQuery, req.query, 'query');
    // Overdue codes leave the list (and give their packs back) before staff see it.
    await expireOverdue(ctx, officeId);
    const [available, waiting] = await Promise.all([
      officeRewards(ctx.db, officeId, ['available'], limit),
      officeRewards(ctx.db, officeId, ['waiting-list'], limit),
    ]);
    res.json({
      officeId,
      readyToHandOut: available.map(staffRewardView),
      waitingForStock: waiting.map(staffRewardView),
    });
  });

  app.post('/offices/:officeId/redemptions', staff, async (req, res) => {
    const { officeId, staff: name } = office(req);
    const { code } = parseInput(RedeemBody, req.body);
    const reward = await redeemClaimCode(ctx, officeId, code, name);
    res.status(200).json(redeemedView(reward));
  });

  app.get('/offices/:officeId/handouts', staff, async (req, res) => {
    const { officeId } = office(req);
    const { limit } = parseInput(ListQuery, req.query, 'query');
    res.json({
      officeId,
      handouts: (await handOutHistory(ctx.db, officeId, limit)).map(staffRewardView),
    });
  });

  app.get('/offices/:officeId/stock', staff, async (req, res) => {
    const { officeId } = office(req);
    const [stock, ledger, recent] = await Promise.all([
      countersOf(ctx.db, officeId),
      ledgerTotals(ctx.db, officeId),
      movementsOf(ctx.db, officeId, 20),
    ]);
    res.json({
      ...stock,
      onShelf: stock.available + stock.reserved,
      ...lowStockOf(ctx, stock.available),
      ledger,
      recentMovements: recent.map(movementView),
    });
  });

  app.get('/offices/:officeId/stock/movements', staff, async (req, res) => {
    const { officeId } = office(req);
    const { limit, before } = parseInput(MovementsQuery, req.query, 'query');
    res.json({
      officeId,
      movements: (await movementsOf(ctx.db, officeId, limit, before)).map(movementView),
    });
  });

  app.post('/offices/:officeId/stock/deliveries', staff, async (req, res) => {
    const { officeId, staff: name } = office(req);
    const body = parseInput(DeliveryBody, req.body);
    res
      .status(201)
      .json(await receiveDelivery(ctx, officeId, body.quantity, name, body.note ?? null));
  });

  app.post('/offices/:officeId/stock/counts', staff, async (req, res) => {
    const { officeId, staff: name } = office(req);
    const body = parseInput(CountBody, req.body);
    res.status(201).json(await countStock(ctx, officeId, body.counted, name, body.note ?? null));
  });

  app.post('/offices/:officeId/stock/adjustments', staff, async (req, res) => {
    const { officeId, staff: name } = office(req);
    const body = parseInput(AdjustmentBody, req.body);
    res.status(201).json(await adjustStock(ctx, officeId, body.delta, body.reason, name));
  });
}
