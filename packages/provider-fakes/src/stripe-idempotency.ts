export type Answer = [status: number, body: unknown];

interface Entry {
  /** Endpoint and parameters of the first request with the key. */
  request: string;
  answer?: Answer;
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
  private readonly keys = new Map<string, Entry>();

  constructor(private readonly latencyMs = 0) {}

  async run(
    key: string,
    request: string,
    execute: () => Answer,
  ): Promise<{ answer: Answer; replayed: boolean }> {
    const seen = this.keys.get(key);
    if (seen && seen.request !== request)
      return {
        answer: error(
          400,
          `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
        ),
        replayed: false,
      };
    if (seen && !seen.answer)
      return {
        answer: error(
          409,
          'There is currently another in-progress request using this Stripe-Idempotency-Key (that probably means you submitted twice, and the other request is still going through). Please try again later.',
        ),
        replayed: false,
      };
    if (seen?.answer) return { answer: seen.answer, replayed: true };
    const entry: Entry = { request };
    this.keys.set(key, entry);
    try {
      if (this.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      entry.answer = execute();
    } catch (err) {
      this.keys.delete(key); // a crash (500) saves nothing either
      throw err;
    }
    // Stripe saves no result for a request that failed validation: the key can be used again.
    if (entry.answer[0] === 400) this.keys.delete(key);
    return { answer: entry.answer, replayed: false };
  }
}
