import type paypal from '@paypal/checkout-server-sdk';
import { fromPayPalTransaction, type PayPalTransactionInfo } from '../domain';
import type { Db } from '../../db/client';
import { StatementWriter, type ImportResult } from '../db/statement-repo';

/** PayPal's Transaction Search answers at most 31 days per request. */
const WINDOW_MS = 31 * 24 * 3600_000;
const PAGE_SIZE = 500;

interface SearchResponse {
  transaction_details?: { transaction_info: PayPalTransactionInfo }[];
  page?: number;
  total_pages?: number;
}

/** PayPal wants ISO 8601 with a numeric offset and no milliseconds: 2025-03-01T00:00:00+0000. */
function paypalDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, '+0000');
}

/**
 * Pulls PayPal transactions of [from, to) through the Transaction Search API (Reporting), via
 * the SDK's HTTP client (it fetches and caches the OAuth token). Windows of 31 days, pages of
 * 500. Transactions that did not complete are skipped. Idempotent like every import.
 */
export async function importPayPal(
  db: Db,
  client: paypal.core.PayPalHttpClient,
  query: { from: Date; to: Date },
  createdBy: string | null,
  onProgress: (lines: number) => void = () => {},
): Promise<ImportResult> {
  const writer = new StatementWriter(db, {
    provider: 'paypal',
    source: 'paypal-api',
    detail: `${query.from.toISOString()}..${query.to.toISOString()}`,
    createdBy,
  });
  let lines = 0;
  for (let start = query.from.getTime(); start < query.to.getTime(); start += WINDOW_MS) {
    // end_date is inclusive at PayPal: stop one second before the next window.
    const end = new Date(Math.min(start + WINDOW_MS, query.to.getTime()) - 1000);
    for (let page = 1, pages = 1; page <= pages; page += 1) {
      const params = new URLSearchParams({
        start_date: paypalDate(new Date(start)),
        end_date: paypalDate(end),
        fields: 'transaction_info',
        page_size: String(PAGE_SIZE),
        page: String(page),
      });
      const res = await client.execute<SearchResponse>({
        path: `/v1/reporting/transactions?${params.toString()}`,
        verb: 'GET',
        body: null,
        headers: { 'Content-Type': 'application/json' },
      });
      pages = res.result.total_pages ?? 1;
      for (const { transaction_info: info } of res.result.transaction_details ?? []) {
        const line = fromPayPalTransaction(info);
        if (line === null) writer.skip();
        else await writer.add(line);
        lines += 1;
        if (lines % 1000 === 0) onProgress(lines);
      }
    }
  }
  return writer.finish();
}
