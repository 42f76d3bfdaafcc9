import { sendProblem, HttpProblem, type SseLimiter } from '@bfi/http';
import { createParser } from 'eventsource-parser';
import type { Request, Response } from 'express';
import type { Logger } from 'pino';
import { upstreamHeaders } from '../app/api';

/**
 * Relays an API's SSE stream to the browser on this origin, each event reshaped for the page
 * (already formatted in the page's language). The upstream request is aborted when the browser
 * leaves; an upstream that fails ends this stream only (EventSource reconnects by itself).
 */
export async function relaySse(
  req: Request,
  res: Response,
  upstreamUrl: string,
  reshape: (event: string, data: unknown) => { event: string; data: unknown } | null,
  logger: Logger,
  streams: SseLimiter,
): Promise<void> {
  const abort = new AbortController();
  res.on('close', () => abort.abort());
  let upstream: globalThis.Response;
  try {
    upstream = await fetch(upstreamUrl, {
      headers: { ...upstreamHeaders(), accept: 'text/event-stream' },
      signal: abort.signal,
    });
  } catch {
    return sendProblem(
      res,
      new HttpProblem(502, 'Bad gateway', 'The live status is unavailable; retrying.'),
    );
  }
  if (!upstream.ok || !upstream.body) {
    await upstream.body?.cancel();
    return sendProblem(
      res,
      new HttpProblem(
        upstream.status === 404 ? 404 : 502,
        'Not available',
        'No live status for this.',
      ),
    );
  }
  const sse = streams.openSse(req, res);
  if (!sse) {
    abort.abort();
    return;
  }
  const parser = createParser({
    onEvent(e) {
      try {
        const out = reshape(e.event ?? 'message', JSON.parse(e.data));
        if (out) sse.send(out.event, out.data, e.id);
      } catch (err) {
        logger.warn({ err }, 'an upstream SSE event could not be read');
      }
    },
  });
  const decoder = new TextDecoder();
  try {
    for await (const chunk of upstream.body as unknown as AsyncIterable<Uint8Array>)
      parser.feed(decoder.decode(chunk, { stream: true }));
  } catch {
    // The browser left (abort) or the API went away: either way this stream is over.
  }
  res.end();
}
