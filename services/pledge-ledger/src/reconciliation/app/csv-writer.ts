import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { stringify, type CastingContext } from 'csv-stringify';

// The one CSV writer of the suite: every CSV export goes through csvStream.
//
// Spreadsheet safety (CSV/formula injection, OWASP): a text cell that starts with = + - @, a
// tab or a carriage return (or their full-width forms) is written with a leading ' so that a
// spreadsheet shows it as text instead of running it as a formula — csv-stringify's
// `escape_formulas`. Numbers stay numbers: a cell given as a JS number (minor units, line
// numbers, `-1500`) is never prefixed, and columns declared `decimal` (major-unit amounts such
// as "-15.00") are checked to be plain decimals and then written as they are. So every text
// column is safe to open and every amount column still sums in a spreadsheet; a text value that
// merely looks like a negative number (a provider id "-1500") reads back with its '.

export type Cell = string | number | null;
export type Row = Cell[];

const DECIMAL = /^-?\d+(\.\d+)?$/;

export interface CsvSpec {
  columns: readonly string[];
  /** Columns holding decimal strings (major units): written unprefixed, refused if not a decimal. */
  decimal?: readonly string[];
}

/**
 * Rows → CSV with a header. Errors of `rows` (a database error halfway) reach the returned
 * stream, so whoever sends it sees them (a `pipe()` would drop them and leave an unhandled
 * 'error' event that stops the process). Backpressure: rows are read only as fast as the
 * consumer takes the CSV.
 */
export function csvStream(spec: CsvSpec, rows: AsyncIterable<Row>): Readable {
  const decimal = new Set((spec.decimal ?? []).map((c) => spec.columns.indexOf(c)));
  const stringifier = stringify({
    header: true,
    columns: [...spec.columns],
    escape_formulas: true,
    cast: {
      string: (value: string, ctx: CastingContext) => {
        if (ctx.header || typeof ctx.column !== 'number' || !decimal.has(ctx.column)) return value;
        if (!DECIMAL.test(value))
          throw new Error(`CSV column ${spec.columns[ctx.column]}: ${value} is not a decimal`);
        return { value, escape_formulas: false };
      },
    },
  });
  // The callback form of pipeline: its errors are passed on to `stringifier` (destroyed with
  // them), where the consumer handles them; nothing is left unhandled here.
  return pipelineInto(Readable.from(rows), stringifier);
}

function pipelineInto(source: Readable, target: ReturnType<typeof stringify>): Readable {
  void pipeline(source, target).catch(() => undefined);
  return target;
}

/** SHA-256 (hex) of everything a stream produces. */
export async function sha256Of(stream: Readable): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(stream, async (source: AsyncIterable<Buffer | string>) => {
    for await (const chunk of source) hash.update(chunk);
  });
  return hash.digest('hex');
}
