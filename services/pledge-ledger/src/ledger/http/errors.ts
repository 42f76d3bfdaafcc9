import { HttpProblem } from '@bfi/http';
import type { ErrorRequestHandler } from 'express';
import { LedgerError, type LedgerErrorKind } from '../domain';

// The one place where the service's domain refusals become problem+json (both modules use it).

const STATUS: Record<LedgerErrorKind, [number, string]> = {
  invalid: [400, 'Bad request'],
  'not-found': [404, 'Not found'],
  unsupported: [415, 'Unsupported media type'],
  conflict: [409, 'Conflict'],
  unprocessable: [422, 'Unprocessable content'],
  upstream: [502, 'Bad gateway'],
  unavailable: [503, 'Service unavailable'],
};

export function toProblem(err: LedgerError): HttpProblem {
  const [status, title] = STATUS[err.kind];
  return new HttpProblem(status, title, err.detail, {
    ...(err.code ? { code: err.code } : {}),
    ...err.extra,
  });
}

/** Domain refusals become problem+json; everything else goes on to the shared handler. */
export const ledgerErrors: ErrorRequestHandler = (err, _req, _res, next) => {
  next(err instanceof LedgerError ? toProblem(err) : err);
};
