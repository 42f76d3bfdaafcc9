/**
 * A refusal the person asking can act on, thrown by the use cases (app/) and mapped to
 * problem+json once, in http/errors.ts: invalid 400, unauthenticated 401, forbidden 403,
 * not-found 404, conflict 409, gone 410, unprocessable 422, provider-unreachable 502,
 * unavailable 503.
 */
export type PaymentErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'gone'
  | 'unprocessable'
  | 'provider-unreachable'
  | 'unavailable';

export interface PaymentErrorOptions {
  /** A stable machine-readable reason (fund-unknown, qr-expired, in-progress …). */
  code?: string;
  /** When a retry can succeed: the caller should wait this long (Retry-After). */
  retryAfterSeconds?: number;
}

export class PaymentError extends Error {
  override readonly name = 'PaymentError';
  readonly code?: string;
  readonly retryAfterSeconds?: number;

  constructor(
    readonly kind: PaymentErrorKind,
    readonly detail: string,
    options: PaymentErrorOptions = {},
  ) {
    super(detail);
    this.code = options.code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
