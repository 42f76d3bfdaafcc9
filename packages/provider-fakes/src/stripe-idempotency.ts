export type Answer = [status: number, body: unknown];

/** The first request with a key (its endpoint and parameters) and Stripe's answer to it. */
export interface IdempotentResult {
  request: string;
  answer: Answer;
}

const error = (status: number, message: string): Answer => [
  status,
  { error: { type: 'idempotency_error', message } },
];

/**
 * Stripe's idempotency keys: the same key with the same endpoint and parameters answers the first
 * result again (no second object); other parameters or another endpoint → 400 idempotency_error;
 * a key whose first request is still running → 409. `latencyMs` keeps each first request in
 * flight that long, so tests can send concurrent retries as a slow network would.
 */
export class StripeIdempotency {
  /** Finished requests by key: what the fake's state file keeps across restarts. */
  readonly results = new Map<string, IdempotentResult>();
  private readonly inFlight = new Map<string, string>();

  constructor(private readonly latencyMs = 0) {}

  async run(
    key: string,
    request: string,
    execute: () => Answer,
  ): Promise<{ answer: Answer; replayed: boolean }> {
    const first = this.results.get(key)?.request ?? this.inFlight.get(key);
    if (first !== undefined && first !== request)
      return {
        answer: error(
          400,
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        ),
        replayed: false,
      };
    const done = this.results.get(key);
    if (done?.answer) return { answer: done.answer, replayed: true };
    if (this.inFlight.has(key))
      return {
        answer: error(
          409,
          'There is currently another in-progress request using this Stripe-Idempotency-Key (that probably means you submitted twice, and the other request is still going through). Please try again later.',
        ),
        replayed: false,
      };
    this.inFlight.set(key, request);
    try {
      if (this.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      const answer = execute();
      // Stripe saves no result for a request that failed validation: the key can be used again.
      if (answer[0] !== 400) this.results.set(key, { request, answer });
      return { answer, replayed: false };
    } finally {
      this.inFlight.delete(key);
    }
  }
}
