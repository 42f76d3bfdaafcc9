// The shared calendar rules (zod only, no web framework): an uploaded date is read exactly as an
// HTTP date is, so 30 February is refused here too instead of becoming 2 March.
// eslint-disable-next-line no-restricted-imports
import { parseDateTime } from '@bfi/http/src/dates';
import {
  checkNet,
  checkRef,
  parseAmount,
  parseCurrency,
  paypalActivityType,
  StatementError,
  stripeType,
  type StatementLineDraft,
} from './statement';

/**
 * The CSV reports finance downloads and uploads:
 *   stripe-balance   Stripe "Balance change from activity" (itemized) report
 *   stripe-payout    Stripe "Payout reconciliation" (itemized) report: the same lines with the
 *                    automatic payout they were paid out in
 *   paypal-activity  PayPal "Activity download" (all transactions, CSV, comma-separated)
 */
export const CSV_FORMATS = ['stripe-balance', 'stripe-payout', 'paypal-activity'] as const;
export type CsvFormat = (typeof CSV_FORMATS)[number];

const STRIPE_COLUMNS = [
  'balance_transaction_id',
  'created_utc',
  'currency',
  'gross',
  'fee',
  'net',
  'reporting_category',
  'source_id',
];

export const REQUIRED_COLUMNS: Record<CsvFormat, string[]> = {
  'stripe-balance': STRIPE_COLUMNS,
  'stripe-payout': [...STRIPE_COLUMNS, 'automatic_payout_id'],
  'paypal-activity': [
    'Date',
    'Time',
    'TimeZone',
    'Type',
    'Status',
    'Currency',
    'Gross',
    'Fee',
    'Net',
    'Transaction ID',
  ],
};

const FORMAT_NAMES: Record<CsvFormat, string> = {
  'stripe-balance': 'a Stripe "Balance change from activity" itemized report',
  'stripe-payout': 'a Stripe "Payout reconciliation" itemized report',
  'paypal-activity': 'a PayPal activity download (CSV)',
};

export interface CsvProblem {
  /** 1-based line of the file (the header is line 1); 0 for the header as a whole. */
  line: number;
  column?: string;
  message: string;
}

/** The upload is refused as a whole: nothing of it is stored. */
export class CsvRejected extends Error {
  override readonly name = 'CsvRejected';
  constructor(
    message: string,
    readonly problems: CsvProblem[],
  ) {
    super(message);
  }
}

export interface CsvResult {
  lines: StatementLineDraft[];
  /** Rows that record no money movement (PayPal: status other than Completed). */
  skipped: number;
}

const MAX_PROBLEMS = 20;

/** Validates a parsed CSV (header + rows of strings) strictly; throws CsvRejected on any problem. */
export function parseStatementCsv(format: CsvFormat, rows: string[][]): CsvResult {
  const [rawHeader, ...body] = rows;
  if (!rawHeader) throw new CsvRejected('The file is empty.', []);
  const header = rawHeader.map((h, i) => (i === 0 ? h.replace(/^\uFEFF/, '') : h).trim());
  const index = columnIndex(format, header);
  const problems: CsvProblem[] = [];
  const lines: StatementLineDraft[] = [];
  const seen = new Map<string, string>();
  let skipped = 0;
  body.forEach((cells, i) => {
    const lineNo = i + 2;
    if (cells.length === 1 && cells[0]!.trim() === '') return;
    if (cells.length !== header.length) {
      problems.push({
        line: lineNo,
        message: `has ${cells.length} fields, the header has ${header.length}`,
      });
      return;
    }
    const get = (name: string) => (cells[index.get(name)!] ?? '').trim();
    try {
      const line = format === 'paypal-activity' ? paypalRow(get) : stripeRow(format, get);
      if (line === null) {
        skipped += 1;
        return;
      }
      const key = JSON.stringify(line);
      const before = seen.get(line.reference);
      if (before !== undefined && before !== key) {
        throw new RowError('', `reference ${line.reference} appears twice with different values`);
      }
      if (before === undefined) lines.push(line);
      seen.set(line.reference, key);
    } catch (err) {
      if (err instanceof RowError)
        problems.push({ line: lineNo, column: err.column || undefined, message: err.message });
      else if (err instanceof StatementError) problems.push({ line: lineNo, message: err.message });
      else throw err;
    }
  });
  if (problems.length > 0) {
    const shown = problems.slice(0, MAX_PROBLEMS);
    const text = shown
      .map((p) => `line ${p.line}${p.column ? ` (${p.column})` : ''}: ${p.message}`)
      .join('; ');
    throw new CsvRejected(
      `The file was refused, nothing was stored: ${problems.length} problem(s) in ${FORMAT_NAMES[format]}. ${text}${problems.length > MAX_PROBLEMS ? '; …' : ''}`,
      shown,
    );
  }
  if (lines.length === 0 && skipped === 0)
    throw new CsvRejected('The file has a header but no lines.', []);
  return { lines, skipped };
}

function columnIndex(format: CsvFormat, header: string[]): Map<string, number> {
  const index = new Map<string, number>();
  header.forEach((name, i) => {
    if (index.has(name))
      throw new CsvRejected(`Column "${name}" appears twice in the header.`, [
        { line: 1, column: name, message: 'duplicate column' },
      ]);
    index.set(name, i);
  });
  const missing = REQUIRED_COLUMNS[format].filter((c) => !index.has(c));
  if (missing.length > 0) {
    throw new CsvRejected(
      `This is not ${FORMAT_NAMES[format]}: missing column(s) ${missing.map((c) => `"${c}"`).join(', ')}. ` +
        `Found: ${header.map((c) => `"${c}"`).join(', ')}. Required: ${REQUIRED_COLUMNS[format].join(', ')}.`,
      missing.map((c) => ({ line: 1, column: c, message: 'missing column' })),
    );
  }
  return index;
}

class RowError extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

function field<T>(column: string, parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof StatementError) throw new RowError(column, err.message);
    throw err;
  }
}

function required(column: string, value: string): string {
  if (value === '') throw new RowError(column, 'is empty');
  return value;
}

/** Stripe report times are UTC "2025-03-01 10:00:00" (the *_utc columns). */
function stripeTime(column: string, value: string): string {
  const at = parseDateTime(value, { assumeUtc: true });
  if (!at.ok) throw new RowError(column, at.problem);
  return at.date.toISOString();
}

function stripeRow(format: CsvFormat, get: (name: string) => string): StatementLineDraft {
  const currency = field('currency', () => parseCurrency(required('currency', get('currency'))));
  const amount = (c: string) => field(c, () => parseAmount(required(c, get(c)), currency));
  const reference = field('balance_transaction_id', () =>
    checkRef(get('balance_transaction_id'), 'balance_transaction_id'),
  );
  const source = get('source_id');
  const payout = format === 'stripe-payout' ? get('automatic_payout_id') : '';
  const available = get('available_on_utc');
  const line: StatementLineDraft = {
    provider: 'stripe',
    reference,
    sourceRef: source ? field('source_id', () => checkRef(source, 'source_id')) : reference,
    type: stripeType(required('reporting_category', get('reporting_category'))),
    gross: amount('gross'),
    fee: amount('fee'),
    net: amount('net'),
    currency,
    createdAt: stripeTime('created_utc', required('created_utc', get('created_utc'))),
    availableOn: available ? stripeTime('available_on_utc', available) : null,
    payoutId: payout ? field('automatic_payout_id', () => checkRef(payout, 'payout id')) : null,
    description: get('description') || null,
  };
  checkNet(line);
  return line;
}

/** Offsets of the zone names PayPal writes in the TimeZone column. */
const ZONES: Record<string, string> = {
  UTC: '+00:00',
  GMT: '+00:00',
  PST: '-08:00',
  PDT: '-07:00',
  EST: '-05:00',
  EDT: '-04:00',
  CET: '+01:00',
  CEST: '+02:00',
  MSK: '+03:00',
};

function paypalTime(date: string, time: string, zone: string): string {
  const d = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(date);
  if (!d) throw new RowError('Date', `${JSON.stringify(date)} is not a date like 03/01/2025`);
  if (!/^\d{2}:\d{2}:\d{2}$/.test(time))
    throw new RowError('Time', `${JSON.stringify(time)} is not a time like 10:00:00`);
  const offset = ZONES[zone.toUpperCase()] ?? (/^[+-]\d{2}:\d{2}$/.test(zone) ? zone : undefined);
  if (!offset)
    throw new RowError(
      'TimeZone',
      `unknown time zone ${JSON.stringify(zone)}: download the report in UTC`,
    );
  const at = parseDateTime(`${d[3]}-${d[1]}-${d[2]}T${time}${offset}`);
  if (!at.ok) throw new RowError('Date', `${JSON.stringify(`${date} ${time}`)}: ${at.problem}`);
  return at.date.toISOString();
}

function paypalRow(get: (name: string) => string): StatementLineDraft | null {
  if (get('Status').toLowerCase() !== 'completed') return null;
  const currency = field('Currency', () => parseCurrency(required('Currency', get('Currency'))));
  // PayPal's en-US export groups thousands with ",": accepted; any other locale is refused.
  const amount = (c: string) => field(c, () => parseAmount(required(c, get(c)), currency, true));
  const id = field('Transaction ID', () =>
    checkRef(required('Transaction ID', get('Transaction ID')), 'Transaction ID'),
  );
  const type = paypalActivityType(required('Type', get('Type')));
  const gross = amount('Gross');
  const fee = -amount('Fee') || 0;
  const line: StatementLineDraft = {
    provider: 'paypal',
    reference: id,
    sourceRef: id,
    type,
    gross,
    fee,
    net: amount('Net'),
    currency,
    createdAt: paypalTime(get('Date'), get('Time'), get('TimeZone')),
    availableOn: null,
    payoutId: type === 'payout' ? id : null,
    description: get('Subject') || get('Name') || null,
  };
  checkNet(line);
  return line;
}
