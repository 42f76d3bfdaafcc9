import { z } from 'zod';

// The one way every service reads a date or an instant from outside (HTTP input, uploaded
// statements, CLI flags). Only zod in here: the ledger's pure CSV parser imports this file too.
//
// Range: 1900-01-01 … 9999-12-31 (UTC). PostgreSQL timestamptz holds 4713 BC – 294276 AD and a
// JS Date ±275760 years, but they disagree before year 1 (PostgreSQL has no year 0, JS's year 0
// is 1 BC), ISO 8601 needs a sign past 9999, and nothing of this campaign happened before 1900
// — such a year is a typo. Inside the range both stores hold every instant exactly.

export const DATE_RANGE = { from: '1900-01-01', to: '9999-12-31' } as const;
const MIN_MS = Date.UTC(1900, 0, 1);
const END_MS = Date.UTC(10000, 0, 1);

export type DateParse = { ok: true; date: Date } | { ok: false; problem: string };

const outOfRange = (text: string): DateParse => ({
  ok: false,
  problem: `${JSON.stringify(text)} is outside the dates this service keeps (${DATE_RANGE.from} to ${DATE_RANGE.to})`,
});

/** A day of the (proleptic Gregorian) calendar: 2024-02-29 is one, 2025-02-30 is not. */
export function isCalendarDay(year: number, month: number, day: number): boolean {
  if (!Number.isInteger(year) || !Number.isInteger(month) || !Number.isInteger(day)) return false;
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1]!);
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** "2025-03-01" → midnight UTC of that day, if it is a real day within DATE_RANGE. */
export function parseCalendarDate(text: string): DateParse {
  const m = DATE.exec(text);
  if (!m) return { ok: false, problem: `${JSON.stringify(text)} is not a date like 2025-03-01` };
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1900) return outOfRange(text);
  if (!isCalendarDay(y, mo, d))
    return { ok: false, problem: `${text} is not a day of the calendar` };
  return { ok: true, date: new Date(Date.UTC(y, mo - 1, d)) };
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/i;

/**
 * An ISO 8601 date-time ("2025-03-01T10:00:00Z", "2025-03-01 10:00:00+03:00", seconds and
 * fraction optional) → that instant, if the date is a real day, the time a real time and the
 * instant within DATE_RANGE. A text without a zone is refused unless `assumeUtc` (Stripe's
 * `*_utc` report columns).
 */
export function parseDateTime(text: string, options: { assumeUtc?: boolean } = {}): DateParse {
  const m = DATE_TIME.exec(text);
  const expected = options.assumeUtc
    ? 'a UTC time like 2025-03-01 10:00:00'
    : 'a date-time like 2025-03-01T10:00:00Z';
  if (!m || (!m[8] && !options.assumeUtc))
    return { ok: false, problem: `${JSON.stringify(text)} is not ${expected}` };
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((v) => Number(v ?? 0)) as number[];
  if (!isCalendarDay(y!, mo!, d!))
    return { ok: false, problem: `${text.slice(0, 10)} is not a day of the calendar` };
  const offset = zoneMinutes(m[8] ?? 'Z');
  if (h! > 23 || mi! > 59 || s! > 59 || offset === null)
    return { ok: false, problem: `${JSON.stringify(text)} is not a real time of day` };
  const ms = Number((m[7] ?? '').padEnd(3, '0').slice(0, 3));
  const at = Date.UTC(y!, mo! - 1, d!, h!, mi!, s!, ms) - offset * 60_000;
  if (y! < 1900 || at < MIN_MS || at >= END_MS) return outOfRange(text);
  return { ok: true, date: new Date(at) };
}

function zoneMinutes(zone: string): number | null {
  if (zone.toUpperCase() === 'Z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
  const [hours, minutes] = [Number(m[2]), Number(m[3])];
  if (hours > 23 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** A calendar date (midnight UTC of that day) or a date-time with a zone. */
export function parseInstant(text: string): DateParse {
  return DATE.test(text) ? parseCalendarDate(text) : parseDateTime(text);
}

function dateSchema(parse: (text: string) => DateParse, description: string) {
  return z
    .string({ error: `must be ${description}` })
    .transform((text, ctx) => {
      const result = parse(text);
      if (result.ok) return result.date;
      ctx.issues.push({
        code: 'custom',
        input: text,
        message: `must be ${description}: ${result.problem}`,
      });
      return z.NEVER;
    })
    .describe(`${description}, ${DATE_RANGE.from} to ${DATE_RANGE.to}`);
}

/** YYYY-MM-DD, a real day (no 30 February) within DATE_RANGE → Date at midnight UTC. */
export const CalendarDateSchema = dateSchema(parseCalendarDate, 'a date like 2025-03-01');

/** ISO 8601 date-time with a zone (Z or ±hh:mm) within DATE_RANGE → Date. */
export const DateTimeSchema = dateSchema(
  (text) => parseDateTime(text),
  'an ISO 8601 date-time with a zone, like 2025-03-01T10:00:00Z',
);

/** A date (midnight UTC) or a date-time with a zone → Date: what `from`/`to` parameters take. */
export const InstantSchema = dateSchema(
  parseInstant,
  'an ISO 8601 date (2025-03-01) or date-time with a zone (2025-03-01T00:00:00Z)',
);

interface Ends {
  from?: Date;
  to?: Date;
}
const inOrder = (p: Ends) => !p.from || !p.to || p.from < p.to;

const PERIOD_ORDER = {
  message: 'must be after from (from is inclusive, to is exclusive)',
  path: ['to'],
};

/**
 * A period [from, to): both required, from before to (equal would be an empty period, so it is
 * refused as a mistake), with the other fields of the request.
 */
export function periodSchema<S extends z.ZodRawShape>(shape: S) {
  return z
    .strictObject({ ...shape, from: InstantSchema, to: InstantSchema })
    .refine((p) => inOrder(p as Ends), PERIOD_ORDER);
}

/** Like periodSchema, for filters where either end may be left open. */
export function openPeriodSchema<S extends z.ZodRawShape>(shape: S) {
  return z
    .strictObject({ ...shape, from: InstantSchema.optional(), to: InstantSchema.optional() })
    .refine((p) => inOrder(p as Ends), PERIOD_ORDER);
}

/** `{ from, to }` and nothing else. */
export const PeriodSchema = periodSchema({});
