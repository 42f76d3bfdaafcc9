// Live streams on a real server: caps per client and in total (refused before the stream
// starts), a maximum age, retry and id fields, Last-Event-ID resume, a rate limit on opening
// the office stream.
import { eventually, openStream, type OpenedStream } from '@bfi/testing';
import { idemKey, KEYS, openWorld, type World } from './harness';

let w: World;
const open: OpenedStream[] = [];
beforeAll(async () => {
  w = await openWorld({
    SSE_MAX_PER_CLIENT: '2',
    SSE_MAX_TOTAL: '3',
    SSE_RETRY_MS: '500',
    SSE_MAX_AGE_SECONDS: '2',
    STREAM_RATE_LIMIT: '4',
  });
  for (const id of ['office-a', 'office-b'])
    await w.api('POST', '/offices', { body: { id, name: id }, key: 'admin' });
});
afterEach(() => {
  while (open.length) open.pop()!.close();
});
afterAll(async () => {
  await w?.close();
});

async function donation(officeToken?: string): Promise<string> {
  const res = await w.api('POST', '/donations', {
    body: { amount: 1500, currency: 'BYN', provider: 'stripe', pointToken: officeToken },
    headers: { 'idempotency-key': idemKey() },
  });
  expect(res.status).toBe(201);
  return res.body.id;
}

async function stream(url: string, key?: keyof typeof KEYS, headers: Record<string, string> = {}) {
  const s = await openStream(w.base + url, {
    ...headers,
    ...(key ? { authorization: `Bearer ${KEYS[key]}` } : {}),
  });
  open.push(s);
  return s;
}

describe('live stream limits', () => {
  it('a client past its cap gets 429 problem+json with Retry-After before any stream starts', async () => {
    const id = await donation();
    const a = await stream(`/donations/${id}/events`);
    const b = await stream(`/donations/${id}/events`);
    expect([a.status, b.status]).toEqual([200, 200]);
    const c = await stream(`/donations/${id}/events`);
    expect(c.status).toBe(429);
    expect(c.headers.get('content-type')).toContain('application/problem+json');
    expect(c.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(c.problem?.detail).toMatch(/live streams open/);
    // Closing one frees its place.
    a.close();
    await eventually(async () => {
      const d = await stream(`/donations/${id}/events`);
      expect(d.status).toBe(200);
    });
  });

  it('past the total cap every new client gets 503 with Retry-After', async () => {
    const id = await donation();
    await stream(`/donations/${id}/events`);
    await stream(`/donations/${id}/events`);
    const staff = await stream('/offices/office-a/events', 'staffA');
    expect(staff.status).toBe(200);
    const refused = await stream('/offices/office-b/events', 'staffB');
    expect(refused.status).toBe(503);
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(refused.problem?.detail).toMatch(/Too many live streams/);
  });

  it('sends retry first and an id on every event, and ends a stream at its maximum age', async () => {
    const id = await donation();
    // The streams of the tests before are released as their connections close.
    const s = await eventually(async () => {
      const opened = await stream(`/donations/${id}/events`);
      expect(opened.status).toBe(200);
      return opened;
    });
    expect(await s.next()).toEqual({ retry: '500' });
    const status = await s.until((e) => e.event === 'status');
    expect(status?.id).toBe(JSON.parse(status!.data!).updatedAt);
    // Nothing happens to the donation, yet the server ends the stream (max age 2 s).
    expect(await s.until(() => false)).toBeNull();
  });

  it('resumes the office stream from Last-Event-ID with what changed since', async () => {
    const point = await w.api('POST', '/offices/office-a/points', {
      body: { label: 'Door' },
      key: 'admin',
    });
    const token = new URL(point.body.posterUrl).searchParams.get('point')!;
    const before = new Date(Date.now() - 1000).toISOString();
    const first = await donation(token);
    const second = await donation(token);
    // Without Last-Event-ID a stream starts with changes from now on.
    const fresh = await eventually(async () => {
      const opened = await stream('/offices/office-a/events', 'staffA');
      expect(opened.status).toBe(200);
      return opened;
    });
    expect(await fresh.next()).toEqual({ retry: '500' });
    fresh.close();
    const resumed = await stream('/offices/office-a/events', 'staffA', { 'last-event-id': before });
    const seen: string[] = [];
    while (seen.length < 2) {
      const e = await resumed.until((x) => x.event === 'status');
      expect(e).not.toBeNull();
      const view = JSON.parse(e!.data!);
      expect(view.redirectUrl).toBeNull(); // staff streams carry no checkout link
      seen.push(view.id);
    }
    expect(seen).toEqual([first, second]);
  });

  it('limits how often one key opens the office stream', async () => {
    const refusals: string[] = [];
    for (let i = 0; i < 6; i++) {
      const s = await stream('/offices/office-b/events', 'staffB');
      if (s.status === 429) refusals.push(s.problem!.detail);
      s.close();
    }
    expect(refusals).toContainEqual(expect.stringMatching(/Too many requests with your key/));
  });
});
