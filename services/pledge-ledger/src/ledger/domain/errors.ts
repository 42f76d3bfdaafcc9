/**
 * A refusal the person asking can act on, in either module of the service (the ledger and
 * reconciliation share it: one kinds table, one mapping). Only http/errors.ts turns `kind` into a
 * status: invalid 400, not-found 404, unsupported 415, conflict 409, unprocessable 422,
 * upstream 502 (a provider failed us), unavailable 503 (a provider is not configured).
 */
export type LedgerErrorKind =
  | 'invalid'
  | 'not-found'
  | 'unsupported'
  | 'conflict'
  | 'unprocessable'
  | 'upstream'
  | 'unavailable';

export class LedgerError extends Error {
  override readonly name = 'LedgerError';

  constructor(
    readonly kind: LedgerErrorKind,
    readonly detail: string,
    readonly code?: string,
    /** Extra members of the problem document (e.g. the field problems of a refused CSV). */
    readonly extra: Record<string, unknown> = {},
  ) {
    super(detail);
  }
}

/** The one "no such fund" refusal (totals, exports, reports, corrections all say it this way). */
export function noSuchFund(slug: string, kind: 'not-found' | 'unprocessable' = 'not-found') {
  return new LedgerError(kind, `There is no fund "${slug}". GET /funds lists the funds.`);
}
