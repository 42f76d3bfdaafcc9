// The PDF baseline: pdfkit alone laying out a plain table of the same number of rows (same
// columns as the report's discrepancy table, built-in Helvetica, A4), into a byte counter.
import { Writable } from 'node:stream';
import PDFDocument from 'pdfkit';

const COLUMNS = [40, 70, 90, 70, 70, 70, 95];

export async function plainTableSeconds(rows: number): Promise<{ seconds: number; bytes: number }> {
  const t0 = performance.now();
  let bytes = 0;
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      bytes += chunk.length;
      cb();
    },
  });
  const doc = new PDFDocument({ size: 'A4', margin: 36 });
  const done = new Promise<void>((resolve, reject) => {
    sink.on('finish', resolve);
    sink.on('error', reject);
  });
  doc.pipe(sink);
  doc.font('Helvetica').fontSize(8);
  const bottom = doc.page.height - 36;
  let y = 36;
  for (let i = 1; i <= rows; i++) {
    if (y > bottom - 12) {
      doc.addPage();
      y = 36;
    }
    const cells = [
      String(i),
      `ch_bench${String(i).padStart(8, '0')}`,
      'amount-mismatch',
      '11.00 BYN',
      '10.00 BYN',
      '0.30 BYN',
      '2025-01-01 00:00',
    ];
    let x = 36;
    cells.forEach((cell, j) => {
      doc.text(cell, x, y, { width: COLUMNS[j]!, lineBreak: false });
      x += COLUMNS[j]!;
    });
    y += 11;
  }
  doc.end();
  await done;
  return { seconds: (performance.now() - t0) / 1000, bytes };
}
