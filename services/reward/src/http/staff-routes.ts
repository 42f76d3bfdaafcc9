// Office console: pending hand-outs, redemption, stock. Staff act only for their own office.
import { assertOffice, defineRoute, type Route } from '@bfi/http';
import type { Request } from 'express';
import type { RewardContext } from '../app/context';
import { handouts, lowStockOf, officeStock, pendingHandouts, stockMovements } from '../app/office';
import { redeemClaimCode } from '../app/redeem';
import { adjustStock, countStock, receiveDelivery } from '../app/stock';
import {
  Handouts,
  Movements,
  OfficeStock,
  PendingHandouts,
  Redeemed,
  StockChange,
} from './responses';
import {
  AdjustmentBody,
  CountBody,
  DeliveryBody,
  ListQuery,
  MovementsQuery,
  OfficeParams,
  RedeemBody,
} from './schemas';
import { movementView, redeemedView, staffRewardView } from './views';

const STAFF = ['office-staff'] as const;
const TAGS = ['office'];

/** The staff member's name, once they are shown to act for this office. */
const staffOf = (req: Request, officeId: string): string => assertOffice(req, officeId).name;

const lists = (ctx: RewardContext): Route[] => [
  defineRoute({
    operationId: 'listPendingHandouts',
    method: 'get',
    path: '/offices/:officeId/pending-handouts',
    summary: 'Rewards ready to hand out and donors waiting for stock',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams,
    query: ListQuery,
    response: { status: 200, description: 'Lists (claim codes masked)', schema: PendingHandouts },
    handle: async ({ params: { officeId }, query, req }) => {
      staffOf(req, officeId);
      const { available, waiting } = await pendingHandouts(ctx, officeId, query.limit);
      return {
        officeId,
        readyToHandOut: available.map(staffRewardView),
        waitingForStock: waiting.map(staffRewardView),
      };
    },
  }),
  defineRoute({
    operationId: 'listHandouts',
    method: 'get',
    path: '/offices/:officeId/handouts',
    summary: 'Hand-out history, newest first',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams,
    query: ListQuery,
    response: { status: 200, description: 'History', schema: Handouts },
    handle: async ({ params: { officeId }, query, req }) => {
      staffOf(req, officeId);
      const list = await handouts(ctx, officeId, query.limit);
      return { officeId, handouts: list.map(staffRewardView) };
    },
  }),
];

const stockReads = (ctx: RewardContext): Route[] => [
  defineRoute({
    operationId: 'getOfficeStock',
    method: 'get',
    path: '/offices/:officeId/stock',
    summary: 'Stock counters, ledger totals and recent movements',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams,
    response: { status: 200, description: 'Stock', schema: OfficeStock },
    handle: async ({ params: { officeId }, req }) => {
      staffOf(req, officeId);
      const { stock, ledger, recent } = await officeStock(ctx, officeId);
      return {
        ...stock,
        onShelf: stock.available + stock.reserved,
        ...lowStockOf(ctx, stock.available),
        ledger,
        recentMovements: recent.map(movementView),
      };
    },
  }),
  defineRoute({
    operationId: 'listStockMovements',
    method: 'get',
    path: '/offices/:officeId/stock/movements',
    summary: 'Stock ledger (append-only), newest first',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams,
    query: MovementsQuery,
    response: { status: 200, description: 'Movements', schema: Movements },
    handle: async ({ params: { officeId }, query, req }) => {
      staffOf(req, officeId);
      const list = await stockMovements(ctx, officeId, query.limit, query.before);
      return { officeId, movements: list.map(movementView) };
    },
  }),
];

const redemption = (ctx: RewardContext): Route[] => [
  defineRoute({
    operationId: 'redeemClaimCode',
    method: 'post',
    path: '/offices/:officeId/redemptions',
    summary: 'Redeem a claim code: hand out one pack',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams,
    body: RedeemBody,
    response: { status: 200, description: 'Handed out', schema: Redeemed },
    problems: {
      404: 'Unknown code',
      409: 'Already used, revoked, or waiting for stock',
      410: 'Code expired',
      422: 'Digital pack code',
    },
    handle: async ({ params: { officeId }, body, req }) =>
      redeemedView(await redeemClaimCode(ctx, officeId, body.code, staffOf(req, officeId))),
  }),
];

const stockWrites = (ctx: RewardContext): Route[] => [
  defineRoute({
    operationId: 'receiveDelivery',
    method: 'post',
    path: '/offices/:officeId/stock/deliveries',
    summary: 'Receive a delivery; serves the waiting list oldest first',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams,
    body: DeliveryBody,
    response: { status: 201, description: 'Recorded', schema: StockChange },
    handle: ({ params: { officeId }, body, req }) =>
      receiveDelivery(ctx, officeId, body.quantity, staffOf(req, officeId), body.note ?? null),
  }),
  defineRoute({
    operationId: 'countStock',
    method: 'post',
    path: '/offices/:officeId/stock/counts',
    summary: 'Record a physical count; the difference becomes a count movement',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams,
    body: CountBody,
    response: { status: 201, description: 'Recorded', schema: StockChange },
    problems: { 422: 'Fewer counted than reserved' },
    handle: ({ params: { officeId }, body, req }) =>
      countStock(ctx, officeId, body.counted, staffOf(req, officeId), body.note ?? null),
  }),
  defineRoute({
    operationId: 'adjustStock',
    method: 'post',
    path: '/offices/:officeId/stock/adjustments',
    summary: 'Adjust stock with a reason',
    tags: TAGS,
    access: STAFF,
    params: OfficeParams,
    body: AdjustmentBody,
    response: { status: 201, description: 'Recorded', schema: StockChange },
    problems: { 409: 'Would go below zero' },
    handle: ({ params: { officeId }, body, req }) =>
      adjustStock(ctx, officeId, body.delta, body.reason, staffOf(req, officeId)),
  }),
];

export function staffRoutes(ctx: RewardContext): Route[] {
  return [...lists(ctx), ...stockReads(ctx), ...redemption(ctx), ...stockWrites(ctx)];
}
