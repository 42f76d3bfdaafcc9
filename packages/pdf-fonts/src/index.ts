/**
 * Fonts for every PDF the suite writes (receipts, posters, finance reports). pdfkit's built-in
 * Helvetica is WinAnsi only and turns Belarusian and Russian text ("МТС Мінск") into garbage, so
 * each document embeds DejaVu Sans, which covers Latin and Cyrillic. The TTF files come from the
 * `dejavu-fonts-ttf` npm package: nothing depends on fonts installed on the machine.
 */
import { dirname, join } from 'node:path';

const TTF_DIR = join(dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');

export const FONT_FILES = {
  regular: join(TTF_DIR, 'DejaVuSans.ttf'),
  bold: join(TTF_DIR, 'DejaVuSans-Bold.ttf'),
  mono: join(TTF_DIR, 'DejaVuSansMono.ttf'),
} as const;

/** Names under which `useSuiteFonts` registers the fonts: `doc.font(FONTS.bold)`. */
export const FONTS = { regular: 'bfi-regular', bold: 'bfi-bold', mono: 'bfi-mono' } as const;

/** The part of a pdfkit document this needs (keeps pdfkit out of this package's dependencies). */
export interface FontRegistry {
  registerFont(name: string, src: string): unknown;
  font(name: string): unknown;
}

/** Registers the suite's fonts on a pdfkit document and makes the regular one current. */
export function useSuiteFonts<T extends FontRegistry>(doc: T): T {
  doc.registerFont(FONTS.regular, FONT_FILES.regular);
  doc.registerFont(FONTS.bold, FONT_FILES.bold);
  doc.registerFont(FONTS.mono, FONT_FILES.mono);
  doc.font(FONTS.regular);
  return doc;
}
