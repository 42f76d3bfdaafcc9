// fontkit (pdfkit's font engine) ships no types; the report only parses fonts with it once and
// hands the result to pdfkit, which accepts a fontkit font wherever it takes a font file.
declare module 'fontkit' {
  export function create(buffer: Uint8Array, postscriptName?: string): unknown;
}
