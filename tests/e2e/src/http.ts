// Tiny JSON-over-HTTP client for the tests.

export interface Reply<T = unknown> {
  status: number;
  body: T;
}

export interface CallOptions {
  method?: string;
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Keep retrying while the server is unreachable, answers 5xx (it is being restarted) or 409
   * with Retry-After (an earlier try with the same key is still in progress). */
  retryUnavailable?: boolean;
}

export async function call<T = unknown>(url: string, options: CallOptions = {}): Promise<Reply<T>> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const res = await fetch(url, {
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        signal: AbortSignal.timeout(30_000),
      });
      const text = await res.text();
      const body = (text ? safeJson(text) : null) as T;
      if (options.retryUnavailable && res.status >= 500 && Date.now() < deadline) {
        await pause(200);
        continue;
      }
      // 409 with Retry-After: an earlier try with the same key is still being set up (or died
      // holding the checkout lease); a donor's retry waits as told and sends the same key.
      const retryAfter = Number(res.headers.get('retry-after'));
      if (
        options.retryUnavailable &&
        res.status === 409 &&
        retryAfter > 0 &&
        Date.now() < deadline
      ) {
        await pause(retryAfter * 1000);
        continue;
      }
      return { status: res.status, body };
    } catch (err) {
      if (!options.retryUnavailable || Date.now() > deadline) throw err;
      await pause(200);
    }
  }
}

/** Like call() but fails the test with the problem detail unless the status is the expected one. */
export async function expectStatus<T = unknown>(
  expected: number | number[],
  url: string,
  options: CallOptions = {},
): Promise<T> {
  const reply = await call<T>(url, options);
  const ok = Array.isArray(expected) ? expected : [expected];
  if (!ok.includes(reply.status)) {
    throw new Error(
      `${options.method ?? (options.body === undefined ? 'GET' : 'POST')} ${url} → ${reply.status}, expected ${ok.join('/')}: ${JSON.stringify(reply.body)}`,
    );
  }
  return reply.body;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
