import { fakeId, type Json } from './http-util';
import { toMajor } from './paypal-money';

/** PayPal's Transaction Search (GET /v1/reporting/transactions), the statement the ledger imports. */
export class PayPalStatement {
  /** What Transaction Search (GET /v1/reporting/transactions) reports: `transaction_info` objects. */
  readonly reportingTransactions: Json[] = [];

  /**
   * Records a transaction as Transaction Search reports it. Amounts in minor units, signed
   * (money out is negative); `fee` is what PayPal kept (reported as a negative fee_amount).
   */
  addTransaction(t: {
    transaction_id?: string;
    transaction_event_code: string;
    amount: number;
    fee?: number;
    currency: string;
    at?: Date;
    status?: 'S' | 'P' | 'D' | 'V';
    reference_id?: string;
    custom_field?: string;
  }): Json {
    const fee = t.fee ?? 0;
    const signed = (minor: number) =>
      `${minor < 0 ? '-' : ''}${toMajor(Math.abs(minor), t.currency)}`;
    const info: Json = {
      transaction_id: t.transaction_id ?? fakeId('TX').toUpperCase().slice(0, 17),
      transaction_event_code: t.transaction_event_code,
      transaction_initiation_date: (t.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '+0000'),
      transaction_updated_date: (t.at ?? new Date()).toISOString().replace(/\.\d{3}Z$/, '+0000'),
      transaction_amount: { currency_code: t.currency, value: signed(t.amount) },
      ...(fee ? { fee_amount: { currency_code: t.currency, value: signed(-fee) } } : {}),
      transaction_status: t.status ?? 'S',
      ...(t.reference_id
        ? { paypal_reference_id: t.reference_id, paypal_reference_id_type: 'TXN' }
        : {}),
      ...(t.custom_field ? { custom_field: t.custom_field } : {}),
    };
    this.reportingTransactions.push(info);
    return info;
  }

  /** A withdrawal of the PayPal balance to the bank (event code T0400). */
  withdraw(minor: number, currency: string, at?: Date): Json {
    return this.addTransaction({ transaction_event_code: 'T0400', amount: -minor, currency, at });
  }

  /** GET /v1/reporting/transactions: start_date and end_date (≤ 31 days), page, page_size. */
  protected searchTransactions(query: URLSearchParams): [number, unknown] {
    const invalid = (issue: string, description: string): [number, unknown] => [
      400,
      {
        name: 'INVALID_REQUEST',
        message: 'Request is not well-formed, syntactically incorrect, or violates schema.',
        details: [{ issue, description }],
      },
    ];
    const start = new Date(query.get('start_date') ?? '');
    const end = new Date(query.get('end_date') ?? '');
    if (Number.isNaN(start.getTime()) || Number.isNaN(end.getTime()))
      return invalid('INVALID_DATE', 'start_date and end_date are required ISO 8601 dates');
    if (end < start || end.getTime() - start.getTime() > 31 * 24 * 3600_000)
      return invalid('INVALID_DATE_RANGE', 'The date range must be at most 31 days');
    const pageSize = Number(query.get('page_size') ?? 100);
    const page = Number(query.get('page') ?? 1);
    if (
      !Number.isInteger(pageSize) ||
      pageSize < 1 ||
      pageSize > 500 ||
      !Number.isInteger(page) ||
      page < 1
    )
      return invalid('INVALID_PAGE', 'page_size must be 1..500 and page ≥ 1');
    const matching = this.reportingTransactions.filter((t) => {
      const at = new Date(t.transaction_initiation_date as string).getTime();
      return at >= start.getTime() && at <= end.getTime();
    });
    const totalPages = Math.ceil(matching.length / pageSize);
    return [
      200,
      {
        transaction_details: matching
          .slice((page - 1) * pageSize, page * pageSize)
          .map((info) => ({ transaction_info: info })),
        account_number: 'FAKEACCOUNT01',
        start_date: query.get('start_date'),
        end_date: query.get('end_date'),
        last_refreshed_datetime: new Date().toISOString(),
        page,
        total_items: matching.length,
        total_pages: totalPages,
        links: [],
      },
    ];
  }
}
