import type { SseLimiter } from '@bfi/http';
import type { Request, Response } from 'express';
import type { DonationView } from '../app/view';

/**
 * An SSE stream (through the service's one SseLimiter): what `initial` gives for the client's
 * Last-Event-ID first, then every change until the client leaves or the stream's age is up.
 * Each event's id is the donation's updatedAt.
 */
export function donationStream(
  streams: SseLimiter,
  req: Request,
  res: Response,
  initial: (lastEventId: string | undefined) => Promise<DonationView[]>,
  subscribe: (send: (v: DonationView) => void) => () => void,
): void {
  const sse = streams.openSse(req, res);
  if (!sse) return;
  // The change feed may bring the state this stream started with again, or (read just before a
  // commit) an older one: send each state once, and never one older than what was sent.
  const last = new Map<string, { json: string; at: number }>();
  const send = (view: DonationView) => {
    const json = JSON.stringify(view);
    const at = Date.parse(view.updatedAt);
    const before = last.get(view.id);
    if (before && (before.json === json || before.at > at)) return;
    last.set(view.id, { json, at });
    sse.send('status', view, view.updatedAt);
  };
  const unsubscribe = subscribe(send);
  void sse.closed.then(unsubscribe);
  void initial(sse.lastEventId).then(
    (views) => views.forEach(send),
    () => res.end(), // the database failed: end this stream only; the browser reconnects
  );
}
