export interface BackoffOptions {
  /** First delay in ms. */
  initialMs: number;
  /** Ceiling for one delay in ms. */
  maxMs: number;
}

/** Exponential backoff with full jitter, so many retrying consumers do not stampede together. */
export function backoffDelay(attempt: number, { initialMs, maxMs }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** attempt);
  return Math.round(ceiling / 2 + (Math.random() * ceiling) / 2);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
