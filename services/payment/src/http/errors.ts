import { HttpProblem } from '@bfi/http';
import type { ErrorRequestHandler } from 'express';
import { PaymentError, type PaymentErrorKind } from '../domain/errors';

const STATUS: Record<PaymentErrorKind, [number, string]> = {
  invalid: [400, 'Bad request'],
  unauthenticated: [401, 'Unauthorized'],
  forbidden: [403, 'Forbidden'],
  'not-found': [404, 'Not found'],
  conflict: [409, 'Conflict'],
  gone: [410, 'Gone'],
  unprocessable: [422, 'Unprocessable content'],
  'provider-unreachable': [502, 'Bad gateway'],
  unavailable: [503, 'Service unavailable'],
};

/** The one place a payment refusal becomes problem+json (status, title, code, Retry-After). */
export function toProblem(err: PaymentError): HttpProblem {
  const [status, title] = STATUS[err.kind];
  return new HttpProblem(
    status,
    title,
    err.detail,
    err.code ? { code: err.code } : {},
    err.retryAfterSeconds !== undefined ? { 'retry-after': String(err.retryAfterSeconds) } : {},
  );
}

/** Domain refusals become problem+json; everything else goes on to the shared handler. */
export const paymentErrors: ErrorRequestHandler = (err, _req, _res, next) => {
  next(err instanceof PaymentError ? toProblem(err) : err);
};
