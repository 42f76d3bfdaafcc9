import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { suite } from './support/browser';

// Every donor reaches the APIs through this one web server. The APIs cap live streams and
// requests per client, so the web server must pass on whose request it is: otherwise the
// eleventh donor watching a thank-you page anywhere in the campaign would be refused.

/** Opens a live status stream as a donor at `address` would (through a proxy that says so). */
function openStream(url: string, address: string): Promise<{ status: number; close(): void }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers: { 'x-forwarded-for': address } }, (res) => {
      resolve({ status: res.statusCode ?? 0, close: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('many donors watching their thank-you pages at once', () => {
  it('are each counted as their own client by the APIs behind the web server', async () => {
    const s = suite();
    const created = await fetch(`${s.urls.payment}/donations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID() },
      body: JSON.stringify({ amount: 1000, currency: 'BYN', provider: 'stripe' }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const url = `${s.urls.web}/thanks/${id}/events`;
    // More donors than the per-client stream cap (SSE_MAX_PER_CLIENT, 10 by default).
    const streams = [];
    for (let i = 1; i <= 12; i += 1) streams.push(await openStream(url, `198.51.100.${i}`));
    try {
      expect(streams.map((st) => st.status)).toEqual(Array(12).fill(200));
    } finally {
      for (const st of streams) st.close();
    }
  });
});
