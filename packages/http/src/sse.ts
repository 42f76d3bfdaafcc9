import type { Request, Response } from 'express';

export interface SseStream {
  send(event: string, data: unknown, id?: string): void;
  closed: Promise<void>;
}

/**
 * Server-sent events for live status (thank-you page, office console, campaign thermometer).
 * A comment line every 15 s keeps proxies from closing an idle stream.
 */
export function openSse(req: Request, res: Response): SseStream {
  res.status(200).set({
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15000);
  const closed = new Promise<void>((resolve) =>
    req.on('close', () => {
      clearInterval(keepAlive);
      resolve();
    }),
  );
  return {
    send(event, data, id) {
      if (res.writableEnded) return;
      res.write(`${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
    },
    closed,
  };
}
