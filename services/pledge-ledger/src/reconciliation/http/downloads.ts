import type { Logger } from '@bfi/messaging';
import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Counter, register } from 'prom-client';

const failures =
  (register.getSingleMetric('http_download_failures_total') as Counter<string>) ??
  new Counter({
    name: 'http_download_failures_total',
    help: 'Downloads (CSV, PDF) cut off after they started: the source failed (e.g. a database error) or the client went away',
    labelNames: ['download', 'reason'],
  });

export interface Download {
  /** Label for logs and the metric, e.g. "journal.csv". */
  name: string;
  type: string;
  fileName: string;
}

/**
 * Streams a file download; whatever happens, only this response ends. The body's first chunk
 * is read before anything is sent: if that fails (the first database read), the answer is an
 * ordinary problem+json. A failure after bytes went out cannot become a status any more: the
 * connection is closed without the final chunk, so the client sees a truncated download, not
 * a complete-looking file; it is logged and counted. A client that goes away stops the body
 * (pipeline destroys it: no more database reads, no more rendering).
 */
export async function sendDownload(
  req: Request,
  res: Response,
  logger: Logger,
  download: Download,
  body: Readable,
): Promise<void> {
  const chunks = body[Symbol.asyncIterator]();
  let first: IteratorResult<unknown>;
  try {
    first = await chunks.next();
  } catch (err) {
    body.destroy();
    throw err;
  }
  res.status(200).type(download.type);
  res.set('content-disposition', `attachment; filename="${download.fileName}"`);
  async function* rest() {
    if (first.done) return;
    yield first.value;
    for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
  }
  try {
    await pipeline(rest, res);
  } catch (err) {
    body.destroy();
    res.destroy();
    const clientGone = (err as { code?: string }).code === 'ERR_STREAM_PREMATURE_CLOSE';
    const reason = clientGone ? 'client-gone' : 'source-error';
    failures.inc({ download: download.name, reason });
    const context = { err, reqId: req.id, download: download.name, reason };
    if (clientGone) logger.info(context, 'download stopped: the client went away');
    else logger.error(context, 'download failed after it started; the client got a truncated file');
  }
}
