// Opening a PDF with pdf.js (the legacy build: the modern one needs APIs Node 20 lacks) and mapping its failures
// to Quire's typed errors. pdf.js runs its "worker" in this thread under Node; no network is ever used.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as pdfjs from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { PDFDocumentProxy } from 'pdfjs-dist/types/src/display/api.js';
import { EmptyFileError, NotAPdfError, PdfCorruptError, PdfPasswordIncorrectError, PdfPasswordRequiredError } from './errors.js';

export { pdfjs };
export type { PDFDocumentProxy };
export type PDFPageProxy = Awaited<ReturnType<PDFDocumentProxy['getPage']>>;

const packageDir = dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
// Local data files: glyph outlines for the 14 standard fonts, CJK CMaps, and the wasm image decoders.
const assets = {
  standardFontDataUrl: `${join(packageDir, 'standard_fonts')}/`,
  cMapUrl: `${join(packageDir, 'cmaps')}/`,
  cMapPacked: true,
  wasmUrl: `${join(packageDir, 'wasm')}/`,
};

/** Where "%PDF-" may start: readers accept up to 1024 bytes of junk before the header. */
const HEADER_WINDOW = 1024;

export async function openPdf(bytes: Uint8Array, options: { path: string; password?: string }): Promise<PDFDocumentProxy> {
  const { path, password } = options;
  if (bytes.length === 0) throw new EmptyFileError(`${path}: the file is empty (0 bytes), expected a PDF`);
  const head = Buffer.from(bytes.subarray(0, HEADER_WINDOW)).toString('latin1');
  if (!head.includes('%PDF-')) {
    const shown = JSON.stringify(head.slice(0, 16));
    throw new NotAPdfError(`${path}: not a PDF: expected "%PDF-" in the first ${HEADER_WINDOW} bytes, found ${shown}…`);
  }
  // pdf.js refuses Buffers and transfers (detaches) the array it is given: hand it a plain copy.
  const task = pdfjs.getDocument({
    data: new Uint8Array(bytes), password, verbosity: pdfjs.VerbosityLevel.ERRORS, isEvalSupported: false,
    useSystemFonts: false, disableFontFace: true, stopAtErrors: false, ...assets,
  });
  try {
    return await task.promise;
  } catch (error) {
    await task.destroy().catch(() => undefined);
    throw mapOpenError(error, path, password !== undefined);
  }
}

function mapOpenError(error: unknown, path: string, passwordGiven: boolean): Error {
  const e = error as { name?: string; code?: number; message?: string };
  if (e?.name === 'PasswordException') {
    if (e.code === pdfjs.PasswordResponses.INCORRECT_PASSWORD && passwordGiven) {
      return new PdfPasswordIncorrectError(`${path}: the password given does not open this PDF: check it and try again`);
    }
    return new PdfPasswordRequiredError(`${path}: the PDF is encrypted and needs a password: pass it with --password`);
  }
  const reason = e?.message ?? String(error);
  return new PdfCorruptError(`${path}: the PDF is damaged and cannot be read (${reason}); a repaired or re-exported copy may work`);
}
