// What the office console does, through the services as the signed-in staff member (the
// services check the person token's office themselves; these functions never widen access).
import type { Money } from '@bfi/money';
import { CAMPAIGN_TIME_ZONE } from './present';
import type { ApiAnswer, Donation } from './api';
import type { PersonApi } from './office-person-api';

export interface Point {
  id: string;
  officeId: string;
  label: string;
  kind: 'poster' | 'counter';
  disabled: boolean;
  posterUrl: string;
}

export interface Stock {
  officeId: string;
  available: number;
  reserved: number;
  onShelf: number;
  lowStock: boolean;
  lowStockThreshold: number;
  recentMovements: Movement[];
}

export interface Movement {
  id: string;
  kind: string;
  availableDelta: number;
  reservedDelta: number;
  reason: string | null;
  actor: string;
  createdAt: string;
}

export interface StaffReward {
  rewardId: string;
  donationId: string;
  status: string;
  claimCodeHint: string;
  handedOutAt: string | null;
  handedOutBy: string | null;
  createdAt: string;
}

export interface Pending {
  readyToHandOut: StaffReward[];
  waitingForStock: StaffReward[];
}

export interface Dashboard {
  points: Point[];
  stock: Stock;
  waiting: number;
  ready: number;
  gifts: Donation[];
  handouts: StaffReward[];
}

export interface IntentStatus {
  id: string;
  pointId: string;
  officeId: string;
  amount: Money;
  expiresAt: string;
  state: 'waiting' | 'used' | 'expired';
  url: string;
  qrSvg: string;
  donation: Donation | null;
}

export interface CounterReward {
  outcome: 'rewarded' | 'no-reward';
  reason: string;
  reward: (StaffReward & { kind: string; fallback: boolean }) | null;
}

export interface CodeCheck {
  code: string;
  donationId: string;
  kind: string;
  status: string;
  claimExpiresAt: string | null;
  handOver: { physicalStickerPacks: number };
}

/** A refusal of the API, kept with its machine code so the page can say it in the person's words. */
export interface Refusal {
  status: number;
  code: string | null;
  detail: string | null;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; refusal: Refusal };

function outcome<T>(answer: ApiAnswer<T>): Outcome<T> {
  if (answer.ok) return { ok: true, value: answer.body };
  const body = answer.body as { code?: unknown } | null;
  const code = body && typeof body === 'object' && typeof body.code === 'string' ? body.code : null;
  return { ok: false, refusal: { status: answer.status, code, detail: answer.detail } };
}

/** Throws the refusal of the first answer that is not 2xx (the page shows it). */
export class ApiRefused extends Error {
  constructor(readonly refusal: Refusal) {
    super(`the API refused: ${refusal.status} ${refusal.detail ?? ''}`);
  }
}

function must<T>(answer: ApiAnswer<T>): T {
  const o = outcome(answer);
  if (!o.ok) throw new ApiRefused(o.refusal);
  return o.value;
}

const seg = encodeURIComponent;

/** The calendar day in Minsk of an instant, as YYYY-MM-DD. */
export function minskDay(at: Date | string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: CAMPAIGN_TIME_ZONE }).format(new Date(at));
}

export async function loadDashboard(
  api: PersonApi,
  officeId: string,
  now: Date,
): Promise<Dashboard> {
  const o = seg(officeId);
  const [points, stock, pending, donations, handouts] = await Promise.all([
    api.call<Point[]>('payment', 'GET', `/offices/${o}/points`),
    api.call<Stock>('reward', 'GET', `/offices/${o}/stock`),
    api.call<Pending>('reward', 'GET', `/offices/${o}/pending-handouts`),
    api.call<Donation[]>('payment', 'GET', `/offices/${o}/donations`),
    api.call<{ handouts: StaffReward[] }>('reward', 'GET', `/offices/${o}/handouts?limit=200`),
  ]);
  const today = minskDay(now);
  const p = must(pending);
  return {
    points: must(points),
    stock: must(stock),
    ready: p.readyToHandOut.length,
    waiting: p.waitingForStock.length,
    gifts: must(donations).filter((d) => minskDay(d.createdAt) === today),
    handouts: must(handouts).handouts.filter(
      (h) => h.handedOutAt !== null && minskDay(h.handedOutAt) === today,
    ),
  };
}

export async function loadStock(api: PersonApi, officeId: string): Promise<Stock> {
  return must(await api.call<Stock>('reward', 'GET', `/offices/${seg(officeId)}/stock`));
}

export async function createCounterQr(
  api: PersonApi,
  pointId: string,
  amount: Money,
): Promise<Outcome<{ id: string }>> {
  return outcome(
    await api.call<{ id: string }>('payment', 'POST', `/donation-points/${seg(pointId)}/intents`, {
      amount: amount.minor,
      currency: amount.currency,
    }),
  );
}

export async function intentStatus(
  api: PersonApi,
  pointId: string,
  intentId: string,
): Promise<Outcome<IntentStatus>> {
  return outcome(
    await api.call<IntentStatus>(
      'payment',
      'GET',
      `/donation-points/${seg(pointId)}/intents/${seg(intentId)}`,
    ),
  );
}

/** The reward of a counter donation, or null while the reward service has not decided yet. */
export async function counterReward(
  api: PersonApi,
  officeId: string,
  donationId: string,
): Promise<CounterReward | null> {
  const answer = await api.call<CounterReward>(
    'reward',
    'GET',
    `/offices/${seg(officeId)}/rewards/by-donation/${seg(donationId)}`,
  );
  if (answer.status === 404) return null;
  return must(answer);
}

export async function checkCode(
  api: PersonApi,
  officeId: string,
  code: string,
): Promise<Outcome<CodeCheck>> {
  return outcome(
    await api.call<CodeCheck>(
      'reward',
      'GET',
      `/offices/${seg(officeId)}/claim-codes/${seg(code)}`,
    ),
  );
}

export async function handOut(
  api: PersonApi,
  officeId: string,
  code: string,
): Promise<Outcome<{ rewardId: string; donationId: string; handedOutAt: string }>> {
  return outcome(
    await api.call<{ rewardId: string; donationId: string; handedOutAt: string }>(
      'reward',
      'POST',
      `/offices/${seg(officeId)}/redemptions`,
      { code },
    ),
  );
}

export type StockChange =
  | { kind: 'delivery'; quantity: number; note?: string }
  | { kind: 'adjustment'; delta: number; reason: string }
  | { kind: 'count'; counted: number; note?: string };

export async function changeStock(
  api: PersonApi,
  officeId: string,
  change: StockChange,
): Promise<Outcome<unknown>> {
  const base = `/offices/${seg(officeId)}/stock`;
  const { kind, ...body } = change;
  const path = { delivery: 'deliveries', adjustment: 'adjustments', count: 'counts' }[kind];
  return outcome(await api.call('reward', 'POST', `${base}/${path}`, body));
}

/** "15", "15.5", "15,50" → 1550 minor units; null when it is not an amount. */
export function parseAmount(text: string): number | null {
  const m = /^\s*(\d{1,7})(?:[.,](\d{1,2}))?\s*$/.exec(text);
  if (!m) return null;
  const minor = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return minor > 0 ? minor : null;
}
