import { HttpProblem } from '@bfi/http';
import type { ErrorRequestHandler } from 'express';
import { RewardError, type RewardErrorKind } from '../domain';

const STATUS: Record<RewardErrorKind, [number, string]> = {
  invalid: [400, 'Bad request'],
  forbidden: [403, 'Forbidden'],
  'not-found': [404, 'Not found'],
  conflict: [409, 'Conflict'],
  gone: [410, 'Gone'],
  unprocessable: [422, 'Unprocessable content'],
};

export function toProblem(err: RewardError): HttpProblem {
  const [status, title] = STATUS[err.kind];
  return new HttpProblem(status, title, err.detail, err.code ? { code: err.code } : {});
}

/** Domain refusals become problem+json; everything else goes on to the shared handler. */
export const rewardErrors: ErrorRequestHandler = (err, _req, _res, next) => {
  next(err instanceof RewardError ? toProblem(err) : err);
};
