import { existsSync, readFileSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import pdfParse from 'pdf-parse';
import { FONT_FILES, FONTS, useSuiteFonts } from '../src';

describe('suite fonts', () => {
  it('ships TrueType files for every face', () => {
    for (const file of Object.values(FONT_FILES)) {
      expect(existsSync(file)).toBe(true);
      // TrueType files start with the sfnt version 0x00010000.
      expect(readFileSync(file).subarray(0, 4).toString('hex')).toBe('00010000');
    }
  });

  it('a PDF written with them keeps Belarusian and Russian text readable', async () => {
    const doc = useSuiteFonts(new PDFDocument());
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise((r) => doc.on('end', r));
    doc.text('МТС Мінск — дзякуй!');
    doc.font(FONTS.bold).text('Спасибо за помощь');
    doc.end();
    await done;
    const { text } = await pdfParse(Buffer.concat(chunks));
    expect(text).toContain('МТС Мінск — дзякуй!');
    expect(text).toContain('Спасибо за помощь');
  });
});
