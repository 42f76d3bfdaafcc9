import { readFileSync } from 'node:fs';
import { once } from 'node:events';
import { parentPort } from 'node:worker_threads';
import { FONT_FILES, FONTS } from '@bfi/pdf-fonts';
import { create } from 'fontkit';
import {
  drawReport,
  newDocument,
  withFooters,
  type ParsedFonts,
  type ReportData,
} from './pdf-render';

// The finance PDF's worker thread (pdf-threads.ts keeps one ready, pdfkit loaded): for each
// report it is sent, lays the report out twice — a dry pass that only counts the pages, then
// the real one with "Page n of N" — and sends the bytes page by page, each chunk only once the
// previous one was taken (the download's reader sets the pace: a page or two held at a time).

/** What pdf-threads.ts sends: a report to draw, or leave to send the next chunk. */
export type ThreadRequest = { type: 'render'; data: ReportData } | { type: 'more' };

/** What the worker sends back. */
export type WorkerMessage =
  | { type: 'chunk'; bytes: Uint8Array; rows: number }
  | { type: 'done'; pages: number; rows: number };

let parsed: ParsedFonts | null = null;

/**
 * Parsed once per thread: parsing (and a font's first shaping) is much of a report's time, and
 * pdfkit would do it again for every document it is given a font file's path.
 */
function fonts(): ParsedFonts {
  const parse = (file: string) => create(readFileSync(file));
  parsed ??= {
    regular: parse(FONT_FILES.regular),
    bold: parse(FONT_FILES.bold),
    mono: parse(FONT_FILES.mono),
  };
  return parsed;
}

/**
 * Readies the thread before its first report: parses the fonts and shapes a line in each
 * (fontkit reads a font's layout tables on its first use: most of a cold report's time).
 */
function warmUp(): void {
  const doc = newDocument(SAMPLE_RUN, fonts());
  for (const font of [FONTS.regular, FONTS.bold])
    doc.font(font).widthOfString('Page 1 of 9: 0123456789.,-: BYN USD EUR Мінск Минск abc ABC');
}

const SAMPLE_RUN = {
  id: 'warm-up',
  from: '',
  to: '',
  provider: null,
  status: '',
  progress: null,
  summary: null,
  error: null,
  createdBy: null,
  startedAt: '',
  finishedAt: null,
  csvSha256: null,
} satisfies ReportData['run'];

function countPages(data: ReportData): number {
  const doc = newDocument(data.run, fonts());
  doc.on('data', () => undefined);
  // Footers drawn here too: they leave the font as the next page starts with it.
  const pages = withFooters(doc, data, 0);
  for (const _ of drawReport(doc, data, true));
  // Not ended: ending would embed the fonts of a document nobody reads.
  return pages();
}

const port = parentPort;
if (!port) throw new Error('pdf-worker.ts runs as a worker thread (see pdf-threads.ts)');
let credit = 0;
let wake: (() => void) | null = null;

async function render(data: ReportData): Promise<void> {
  credit = 1;
  const doc = newDocument(data.run, fonts());
  const pending: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => pending.push(chunk));
  const pages = withFooters(doc, data, countPages(data));
  const send = async (rows: number) => {
    if (pending.length === 0) return;
    while (credit === 0) await new Promise<void>((resolve) => (wake = resolve));
    credit -= 1;
    const bytes = Buffer.concat(pending.splice(0));
    port!.postMessage({ type: 'chunk', bytes, rows } satisfies WorkerMessage);
  };
  let rows = 0;
  for (const drawn of drawReport(doc, data)) await send((rows = drawn));
  const ended = once(doc, 'end');
  doc.end();
  await ended;
  await send(rows);
  port!.postMessage({ type: 'done', pages: pages(), rows } satisfies WorkerMessage);
}

warmUp();
port.on('message', (m: ThreadRequest) => {
  if (m.type === 'more') {
    credit += 1;
    wake?.();
    return;
  }
  // Thrown out of the thread: pdf-threads.ts gets it as the worker's 'error' event and fails
  // only this download (a problem answer before the first byte, a cut-off stream after it).
  render(m.data).catch((err: unknown) =>
    process.nextTick(() => {
      throw err;
    }),
  );
});
