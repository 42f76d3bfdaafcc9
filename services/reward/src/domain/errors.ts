/**
 * A refusal the person asking can act on. The HTTP layer maps `kind` to a status code
 * (invalid 400, forbidden 403, not-found 404, conflict 409, gone 410, unprocessable 422).
 */
export type RewardErrorKind =
  'invalid' | 'forbidden' | 'not-found' | 'conflict' | 'gone' | 'unprocessable';

export class RewardError extends Error {
  override readonly name = 'RewardError';

  constructor(
    readonly kind: RewardErrorKind,
    readonly detail: string,
    readonly code?: string,
  ) {
    super(detail);
  }
}
