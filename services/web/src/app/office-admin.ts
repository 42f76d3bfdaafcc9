// Admin's side of the offices: offices and their donation points (payment), reward rules and
// every office's stock (reward). Called as the signed-in admin; the services check the role.
import type { ApiAnswer } from './api';
import { ApiRefused, type Outcome, type Point, type Refusal } from './office-console';
import type { PersonApi } from './office-person-api';

export interface Office {
  id: string;
  name: string;
  disabled: boolean;
  createdAt: string;
}

export interface OfficeWithPoints extends Office {
  points: Point[];
}

export interface Rule {
  id: string;
  campaign: string;
  channel: 'online' | 'office';
  fund: string | null;
  kind: 'physical-sticker-pack' | 'digital-sticker-pack';
  outOfStock: 'wait-for-stock' | 'digital-fallback';
  priority: number;
  activeFrom: string;
  activeUntil: string | null;
  minimums: Record<string, number>;
}

export type RuleInput = Omit<Rule, 'id'>;

export interface OfficeStockRow {
  officeId: string;
  available: number;
  reserved: number;
  waitingList: number;
  handedOut: number;
  digitalFallbacks: number;
  lowStock: boolean;
  lastMovementAt: string | null;
}

function refusalOf(answer: ApiAnswer<unknown>): Refusal {
  const body = answer.body as { code?: unknown } | null;
  const code = body && typeof body === 'object' && typeof body.code === 'string' ? body.code : null;
  return { status: answer.status, code, detail: answer.detail };
}

function result<T>(answer: ApiAnswer<T>): Outcome<T> {
  return answer.ok ? { ok: true, value: answer.body } : { ok: false, refusal: refusalOf(answer) };
}

function must<T>(answer: ApiAnswer<T>): T {
  if (!answer.ok) throw new ApiRefused(refusalOf(answer));
  return answer.body;
}

const seg = encodeURIComponent;

export async function officesWithPoints(api: PersonApi): Promise<OfficeWithPoints[]> {
  const offices = must(await api.call<Office[]>('payment', 'GET', '/offices'));
  return Promise.all(
    offices.map(async (o) => ({
      ...o,
      points: must(await api.call<Point[]>('payment', 'GET', `/offices/${seg(o.id)}/points`)),
    })),
  );
}

export async function createOffice(api: PersonApi, input: { id: string; name: string }) {
  return result(await api.call<Office>('payment', 'POST', '/offices', input));
}

export async function disableOffice(api: PersonApi, officeId: string) {
  return result(await api.call<Office>('payment', 'POST', `/offices/${seg(officeId)}/disable`));
}

export async function createPoint(
  api: PersonApi,
  officeId: string,
  input: { label: string; kind: 'poster' | 'counter' },
) {
  return result(
    await api.call<Point>('payment', 'POST', `/offices/${seg(officeId)}/points`, input),
  );
}

export async function disablePoint(api: PersonApi, pointId: string) {
  return result(
    await api.call<Point>('payment', 'POST', `/donation-points/${seg(pointId)}/disable`),
  );
}

export async function listRules(api: PersonApi): Promise<Rule[]> {
  return must(await api.call<{ rules: Rule[] }>('reward', 'GET', '/admin/rules')).rules;
}

export async function createRule(api: PersonApi, input: RuleInput) {
  return result(await api.call<Rule>('reward', 'POST', '/admin/rules', input));
}

/** Ends a rule now: it stays on record for the donations it decided, and decides no more. */
export async function endRule(api: PersonApi, ruleId: string, now: Date) {
  const answer = await api.call<Rule>('reward', 'GET', `/admin/rules/${seg(ruleId)}`);
  if (!answer.ok) return result(answer);
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- not part of the body
  const { id, createdAt, ...rule } = answer.body as Rule & { createdAt: string };
  const until = new Date(Math.max(now.getTime(), Date.parse(rule.activeFrom) + 1000));
  return result(
    await api.call<Rule>('reward', 'PUT', `/admin/rules/${seg(ruleId)}`, {
      ...rule,
      activeUntil: until.toISOString(),
    }),
  );
}

export async function deleteRule(api: PersonApi, ruleId: string) {
  return result(await api.call('reward', 'DELETE', `/admin/rules/${seg(ruleId)}`));
}

export async function stockOverview(api: PersonApi) {
  return must(
    await api.call<{
      offices: OfficeStockRow[];
      totals: { available: number; reserved: number; waitingList: number };
    }>('reward', 'GET', '/admin/stock'),
  );
}
