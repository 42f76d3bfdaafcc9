import { z } from 'zod';

// The input shapes every route of every service builds on, so that nothing the database
// cannot hold reaches it: PostgreSQL refuses NUL bytes in text and invalid UTF-8 (a lone
// surrogate), a uuid column refuses 36 characters that are not a UUID, an INT4 column an
// integer past 2^31. Each would otherwise surface as a 500.

/** U+0000, or a UTF-16 surrogate half without its partner. */
const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** Whether PostgreSQL can store `value` in a text column as it is. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

export interface TextOptions {
  /** Shortest accepted length after trimming (default 1: empty text is refused). */
  min?: number;
  /** Trim surrounding white space first (default true). */
  trim?: boolean;
}

/**
 * Text the database can store: no NUL byte, no lone surrogate, trimmed (unless told not to),
 * at most `max` characters. The one text schema of every route.
 */
export function dbText(max: number, options: TextOptions = {}) {
  const min = options.min ?? 1;
  const base = z.string({ error: 'must be text' });
  const trimmed = options.trim === false ? base : base.trim();
  return trimmed
    .min(min, { error: min === 1 ? 'must not be empty' : `must be at least ${min} characters` })
    .max(max, { error: `must be at most ${max} characters` })
    .refine(isStorableText, {
      error: 'must not contain NUL bytes or broken characters (lone UTF-16 surrogates)',
    });
}

/** An id the database keeps as a uuid column. `what` names it in the message ("donation id"). */
export function uuidId(what = 'id') {
  return z.uuid({ error: `must be a ${what} (a UUID)` });
}

/** A slug id (office, fund): lowercase letters and digits joined by dashes. */
export function slugId(what = 'id', max = 64) {
  return z
    .string({ error: `must be a ${what}` })
    .max(max, { error: `must be a ${what} of at most ${max} characters` })
    .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, {
      error: `must be a ${what}: lowercase letters and digits joined by dashes`,
    });
}

/** A short printable token (provider ids, opaque references): [A-Za-z0-9._:-], 1..max. */
export function safeToken(what = 'reference', max = 255) {
  return z.string({ error: `must be a ${what}` }).regex(new RegExp(`^[A-Za-z0-9._:-]{1,${max}}$`), {
    error: `must be a ${what} (up to ${max} letters, digits, ".", "_", ":" or "-")`,
  });
}

/** Largest value of a PostgreSQL INT4 column. */
export const INT4_MAX = 2_147_483_647;

/**
 * A whole number within [min, max] from JSON or from a query/path string ("42"). Strings must
 * be plain digits: "1e3", "0x10", " 7" and numbers past max are refused, not coerced.
 */
export function boundedInt(min: number, max: number, what = 'number') {
  const message = `must be a whole ${what} from ${min} to ${max}`;
  return z
    .union([z.number(), z.string().regex(/^-?\d{1,20}$/, { error: message })], { error: message })
    .transform((v) => Number(v))
    .pipe(
      z.number().int({ error: message }).min(min, { error: message }).max(max, { error: message }),
    );
}

/** A keyset cursor that is a row number/sequence: digits only, within INT4 (or `max`). */
export function numericCursor(max = INT4_MAX) {
  return z
    .string()
    .regex(/^\d{1,10}$/, { error: 'must be the nextCursor of a previous page' })
    .refine((s) => Number(s) <= max, { error: 'must be the nextCursor of a previous page' });
}

/** A BIGINT id (e.g. a movement id used as a cursor): digits only, within 0..2^63-1. */
export function bigintId(what = 'id') {
  return z
    .string({ error: `must be a ${what}` })
    .regex(/^\d{1,19}$/, { error: `must be a ${what} (digits)` })
    .transform((s) => BigInt(s))
    .refine((n) => n <= 9_223_372_036_854_775_807n, { error: `must be a ${what}` });
}
